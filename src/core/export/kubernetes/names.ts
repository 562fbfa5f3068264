// Kubernetes names are narrower than berth's: object names are DNS-1123 labels or subdomains, and
// label keys are `prefix/name` with at most 63 characters after the slash and no `:`.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const MAX_LABEL = 63;
const MAX_SUBDOMAIN = 253;

/** Marks a name berth escaped; what follows decodes back to the berth name. */
const ESCAPED = 'b--';
/** Marks a name too long to escape within 63 characters: a readable start and a hash. */
const HASHED = 'h--';

const ESCAPES: Readonly<Record<string, string>> = { '-': '0', '.': '1', _: '2', ':': '3', '/': '4' };
const UNESCAPES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ESCAPES).map(([char, code]) => [code, char]));

/** True for a DNS-1123 label: what Kubernetes takes as a name of a pod's parts and a label value base. */
export function isDnsLabel(text: string): boolean {
  return text.length <= MAX_LABEL && DNS_LABEL.test(text);
}

/** True for a DNS-1123 subdomain: the names of nodes, volumes, claims and most other objects. */
export function isDnsSubdomain(text: string): boolean {
  return text.length > 0 && text.length <= MAX_SUBDOMAIN && text.split('.').every((part) => DNS_LABEL.test(part) && part.length <= MAX_LABEL);
}

/** True for a label key (or annotation key): an optional DNS subdomain and `/`, then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0 && !isDnsSubdomain(key.slice(0, slash))) return false;
  return name.length <= MAX_LABEL && LABEL_NAME.test(name);
}

/** True for a label value: empty, or a name of at most 63 characters. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= MAX_LABEL && LABEL_NAME.test(value));
}

/**
 * A berth name (or a literal address) as a DNS-1123 label. Names that already are one stay as
 * they are; the others become `b--` and the name with `-` written `-0`, `.` `-1`, `_` `-2`,
 * `:` `-3`, `/` `-4` and each capital letter as `-` and its small letter (`Web_1` → `b---web-21`),
 * which `decodeName` reverses. Only when that is longer than 63 characters does the name become
 * `h--`, its escaped start and a hash of the whole; the objects made for it carry the name in
 * their `berth/name` annotation.
 */
export function encodeName(name: string): string {
  if (isDnsLabel(name) && !name.startsWith(ESCAPED) && !name.startsWith(HASHED)) return name;
  let escaped = '';
  let escapable = true;
  for (const char of name) {
    if (/[a-z0-9]/.test(char)) escaped += char;
    else if (/[A-Z]/.test(char)) escaped += `-${char.toLowerCase()}`;
    else if (ESCAPES[char] !== undefined) escaped += `-${ESCAPES[char]}`;
    else escapable = false;
  }
  const whole = `${ESCAPED}${escaped}`;
  if (escapable && whole.length <= MAX_LABEL) return whole;
  const hash = fingerprint(name).slice(0, 8);
  const start = escaped.slice(0, MAX_LABEL - HASHED.length - hash.length - 1).replace(/-+$/, '');
  return `${HASHED}${start}-${hash}`;
}

/** The berth name an encoded name stands for; undefined for a hashed one (read its `berth/name` annotation). */
export function decodeName(encoded: string): string | undefined {
  if (encoded.startsWith(HASHED)) return undefined;
  if (!encoded.startsWith(ESCAPED)) return encoded;
  let name = '';
  const text = encoded.slice(ESCAPED.length);
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (char !== '-') {
      name += char;
      continue;
    }
    const code = text[i + 1] ?? '';
    i += 1;
    if (/[a-z]/.test(code)) name += code.toUpperCase();
    else if (UNESCAPES[code] !== undefined) name += UNESCAPES[code];
    else return undefined;
  }
  return name;
}

/** A short, stable digest of a text (64-bit FNV-1a, 16 hex digits): label values that say "declared alike". */
export function fingerprint(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
