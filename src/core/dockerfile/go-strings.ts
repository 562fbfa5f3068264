import { CR, LINE_FEED, SPACE, TAB } from './char-codes.js';

// Character classes, trimming and case as Go does them: BuildKit's parser is written in Go, and
// where Go and JavaScript disagree (Unicode spaces, `\s`, upper case) the splitter must side with Go.

const UNICODE_DIGIT = /^\p{Nd}$/u;
const UNICODE_LETTER = /^\p{L}$/u;

/** Go's `unicode.IsSpace`, which BuildKit uses to trim lines and split words. */
export function isSpace(code: number): boolean {
  if (code <= 0xff) return code === SPACE || (code >= TAB && code <= CR) || code === 0x85 || code === 0xa0;
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

/** `\s` in Go's regular expressions, which is narrower than `unicode.IsSpace` and than JavaScript's `\s`. */
export function isRegexpSpace(code: number): boolean {
  return code === SPACE || code === TAB || code === LINE_FEED || code === 0x0c || code === CR;
}

/** Go's `unicode.IsDigit`, for the shell lexer's variable names. */
export function isDigit(code: number): boolean {
  if (code < 0x80) return code >= 0x30 && code <= 0x39;
  return UNICODE_DIGIT.test(String.fromCodePoint(code));
}

/** Go's `unicode.IsLetter`, for the shell lexer's variable names. */
export function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return UNICODE_LETTER.test(String.fromCodePoint(code));
}

/** How many leading characters `strings.TrimLeftFunc(text, unicode.IsSpace)` would drop. */
export function leadingSpaceLength(text: string): number {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  return start;
}

/** Go's `strings.TrimSpace`, which BuildKit applies to instructions and their arguments. */
export function trimSpace(text: string): string {
  const start = leadingSpaceLength(text);
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Go's `strings.ToUpper`, which gives BuildKit's keyword: a character without a one-character upper case stays as it is. */
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
