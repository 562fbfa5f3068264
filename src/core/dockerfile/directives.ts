import { HASH } from './char-codes.js';
import { goDecode, isRegexpSpace, leadingSpaceLength, type ByteString } from './go-strings.js';
import type { SplitResult } from './instruction.js';

/** The character that escapes the next one and, at the end of a line, continues the instruction. */
export type Escape = SplitResult['escape'];

const DIRECTIVE_KEYS: ReadonlySet<string> = new Set(['syntax', 'escape', 'check']);
const DIRECTIVE_KEY = /^[a-zA-Z][a-zA-Z0-9]*/;

/** Collects the parser directives, which change how every line after them is read (`escape`). */
export class ParserDirectives {
  readonly values: Record<string, string> = {};
  private readonly seen = new Set<string>();
  private scanning = true;
  private escapeToken: Escape = '\\';

  get escape(): Escape {
    return this.escapeToken;
  }

  /** Whether directives may still follow: they count only in the leading block of `#` lines. */
  get open(): boolean {
    return this.scanning;
  }

  /**
   * Takes the next line (its leading spaces removed) and returns BuildKit's complaint about it, if
   * any. Mirrors `DirectiveParser.ParseLine` and `possibleParserDirective`.
   */
  read(token: ByteString): string | undefined {
    const found = token.charCodeAt(0) === HASH ? parseDirective(token.slice(1)) : undefined;
    if (found === undefined || !DIRECTIVE_KEYS.has(found.key)) {
      this.scanning = false;
      return undefined;
    }
    const { key, value } = found;
    if (this.seen.has(key)) return `only one ${key} parser directive can be used`;
    this.seen.add(key);
    if (key === 'escape') {
      if (value !== '\\' && value !== '`') return `invalid escape token '${goDecode(value)}' does not match \` or \\`;
      this.escapeToken = value;
    }
    this.values[key] = goDecode(value);
    return undefined;
  }
}

/**
 * `# key = value`, as BuildKit reads it after the `#`: `bytes.TrimLeftFunc(line, unicode.IsSpace)`
 * (runes decoded), then `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, whose `\s` is ASCII and whose `.`
 * takes any rune or invalid byte but a newline, so it reads the same on bytes.
 */
function parseDirective(comment: ByteString): { key: string; value: ByteString } | undefined {
  const body = comment.slice(leadingSpaceLength(comment));
  const key = DIRECTIVE_KEY.exec(body)?.[0];
  if (key === undefined) return undefined;
  let equals = key.length;
  while (isRegexpSpace(body.charCodeAt(equals))) equals++;
  if (body.charAt(equals) !== '=') return undefined;
  const rest = body.slice(equals + 1);
  let start = 0;
  while (isRegexpSpace(rest.charCodeAt(start))) start++;
  let end = rest.length;
  while (end > start && isRegexpSpace(rest.charCodeAt(end - 1))) end--;
  // The value takes at least one character: after `=` and nothing but spaces, that is the last space.
  const value = end > start ? rest.slice(start, end) : rest.slice(-1);
  return value === '' ? undefined : { key: key.toLowerCase(), value };
}
