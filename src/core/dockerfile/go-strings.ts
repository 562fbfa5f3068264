// BuildKit's parser is written in Go, where a string is a sequence of bytes: some of its functions
// look at one byte at a time, others decode UTF-8 runes first (an invalid byte then reads as U+FFFD,
// one byte wide). The splitter holds the file the same way, as a `ByteString`, and each function
// below says which of Go's rules it mirrors, so that a caller can pick the one BuildKit uses.

/**
 * A file's bytes held in a string, one character per byte (Node's `latin1` encoding): `charCodeAt(i)`
 * is byte `i`, so offsets, lengths and byte tests are Go's. Decode with `goDecode` before showing one.
 */
export type ByteString = string;

const RUNE_ERROR = 0xfffd;
const CHUNK = 0x2000;

/** The bytes as a `ByteString`. */
export function byteStringOf(bytes: Uint8Array): ByteString {
  // Node's latin1 decoding is exactly one character per byte, and native; TextDecoder's is windows-1252.
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let text = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return text;
}

/** The bytes a `ByteString` holds. */
export function bytesOf(text: ByteString): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A JavaScript string's UTF-8 encoding, as Go's `[]byte(s)` gives it (a lone surrogate becomes U+FFFD). */
export function utf8Bytes(text: string): ByteString {
  return isAscii(text) ? text : byteStringOf(new TextEncoder().encode(text));
}

/**
 * Go's `utf8.DecodeRuneInString(s[at:])`: the rune at `at` and its width, packed as
 * `rune | width << 21`. An invalid or truncated sequence is U+FFFD, one byte wide.
 */
export function runeAt(text: ByteString, at: number): number {
  const b0 = text.charCodeAt(at);
  if (b0 < 0x80) return b0 | (1 << 21);
  let width: number;
  let low = 0x80;
  let high = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) width = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    width = 3;
    if (b0 === 0xe0) low = 0xa0;
    else if (b0 === 0xed) high = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    width = 4;
    if (b0 === 0xf0) low = 0x90;
    else if (b0 === 0xf4) high = 0x8f;
  } else return RUNE_ERROR | (1 << 21);
  const b1 = text.charCodeAt(at + 1);
  if (!(b1 >= low && b1 <= high)) return RUNE_ERROR | (1 << 21);
  let rune = ((b0 & (0xff >> (width + 1))) << 6) | (b1 & 0x3f);
  for (let i = 2; i < width; i++) {
    const b = text.charCodeAt(at + i);
    if (!(b >= 0x80 && b <= 0xbf)) return RUNE_ERROR | (1 << 21);
    rune = (rune << 6) | (b & 0x3f);
  }
  return rune | (width << 21);
}

/** The rune of a `runeAt` result. */
export function runeOf(packed: number): number {
  return packed & 0x1fffff;
}

/** The width in bytes of a `runeAt` result. */
export function widthOf(packed: number): number {
  return packed >>> 21;
}

/** Go's conversion of bytes to runes (`for range`, `[]rune(s)`): every invalid byte becomes U+FFFD. */
export function goDecode(text: ByteString): string {
  if (isAscii(text)) return text;
  const codes: number[] = [];
  let decoded = '';
  for (let at = 0; at < text.length; ) {
    const packed = runeAt(text, at);
    codes.push(runeOf(packed));
    at += widthOf(packed);
    if (codes.length >= CHUNK) {
      decoded += String.fromCodePoint(...codes);
      codes.length = 0;
    }
  }
  return decoded + String.fromCodePoint(...codes);
}

/** Whether the bytes are valid UTF-8 (Go's `utf8.ValidString`). */
export function isValidUtf8(text: ByteString): boolean {
  for (let at = 0; at < text.length; ) {
    const packed = runeAt(text, at);
    if (runeOf(packed) === RUNE_ERROR && widthOf(packed) === 1) return false;
    at += widthOf(packed);
  }
  return true;
}

/**
 * Go's `unicode.IsSpace`. BuildKit calls it on decoded runes in some places and on single bytes
 * (`unicode.IsSpace(rune(b))`) in others; called with a byte, this is the second rule, under which
 * the bytes 0x85 and 0xA0 inside a multi-byte character are spaces.
 */
export function isSpace(code: number): boolean {
  if (code <= 0xff) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0xa0;
  return (
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** `\s` in Go's regular expressions: ASCII only, narrower than `unicode.IsSpace` and than JavaScript's `\s`. */
export function isRegexpSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

/** `[\t\v\f\r ]`, BuildKit's `reWhitespace` class, which splits a command from its arguments and FROM's words. */
export function isCommandGap(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || code === 0x0d;
}

/** Go's `unicode.IsDigit`, for the shell lexer's variable names. */
export function isDigit(code: number): boolean {
  if (code < 0x80) return code >= 0x30 && code <= 0x39;
  return /^\p{Nd}$/u.test(String.fromCodePoint(code));
}

/** Go's `unicode.IsLetter`, for the shell lexer's variable names. */
export function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return /^\p{L}$/u.test(String.fromCodePoint(code));
}

/** How many leading bytes Go's `strings.TrimLeftFunc(s, unicode.IsSpace)` drops: runes are decoded, an invalid byte is no space. */
export function leadingSpaceLength(text: ByteString, from = 0, to = text.length): number {
  let at = from;
  while (at < to) {
    const byte = text.charCodeAt(at);
    if (byte < 0x80) {
      if (!isSpace(byte)) break;
      at++;
      continue;
    }
    const packed = runeAt(text, at);
    if (!isSpace(runeOf(packed)) || at + widthOf(packed) > to) break;
    at += widthOf(packed);
  }
  return at - from;
}

/**
 * Where Go's `strings.TrimRightFunc(s[from:end], unicode.IsSpace)` ends. Go decodes the last rune
 * (`utf8.DecodeLastRuneInString`); a space rune is at most 3 bytes, and a valid sequence that ends
 * the text decodes the same backwards as forwards.
 */
export function trimmedEnd(text: ByteString, from = 0, end = text.length): number {
  let at = end;
  while (at > from) {
    const last = text.charCodeAt(at - 1);
    if (last < 0x80) {
      if (!isSpace(last)) break;
      at--;
      continue;
    }
    const width = spaceEndingAt(text, from, at);
    if (width === 0) break;
    at -= width;
  }
  return at;
}

/** The width of the multi-byte space rune that ends at `end`, or 0. */
function spaceEndingAt(text: ByteString, from: number, end: number): number {
  for (const width of [2, 3]) {
    if (end - width < from) return 0;
    const packed = runeAt(text, end - width);
    if (widthOf(packed) === width && isSpace(runeOf(packed))) return width;
  }
  return 0;
}

/** Go's `strings.ToUpper` of decoded text: a character without a one-character upper case stays as it is. */
export function upperCase(name: string): string {
  if (isAscii(name)) return name.toUpperCase();
  let upper = '';
  for (const ch of name) {
    const mapped = ch.toUpperCase();
    upper += mapped.length === ch.length ? mapped : ch;
  }
  return upper;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
