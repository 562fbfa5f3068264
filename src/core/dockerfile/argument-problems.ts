import { DOUBLE_QUOTE, SINGLE_QUOTE } from './char-codes.js';
import type { Escape } from './directives.js';
import { isCommandGap, isSpace, runeAt, runeOf, widthOf, type ByteString } from './go-strings.js';
import { jsonForm } from './json-form.js';

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

/** Why BuildKit refuses the arguments of a command (`kind` is its lower-case name), if it does: its `dispatch` table. */
export function argumentProblem(kind: string, args: ByteString, escape: Escape): string | undefined {
  switch (kind) {
    case 'env':
      return nameValueProblem(args, 'ENV', escape);
    case 'label':
      return nameValueProblem(args, 'LABEL', escape);
    case 'run':
    case 'cmd':
    case 'entrypoint':
    case 'shell':
      return args !== '' && jsonForm(args) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
    case 'add':
    case 'copy':
    case 'volume':
      return jsonForm(args) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
    case 'healthcheck':
      return healthcheckProblem(args);
    default:
      return undefined;
  }
}

/**
 * Mirrors `parseHealthConfig`, which walks bytes: `unicode.IsSpace(rune(rest[i]))` ends the type
 * word at a 0x85 or 0xA0 byte even inside a multi-byte character.
 */
function healthcheckProblem(args: ByteString): string | undefined {
  let end = 0;
  while (end < args.length && !isSpace(args.charCodeAt(end))) end++;
  if (end === 0) return undefined;
  let next = end;
  while (next < args.length && isSpace(args.charCodeAt(next))) next++;
  const command = args.slice(next);
  return command !== '' && jsonForm(command) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
}

/** `ENV`/`LABEL`: `KEY value` (two words at least) or only `name=value` words. Mirrors `parseNameVal`. */
function nameValueProblem(args: ByteString, keyword: string, escape: Escape): string | undefined {
  const words = parseWords(args, escape);
  const first = words[0];
  if (first === undefined) return undefined;
  if (!first.includes('=')) return hasCommandGap(args) ? undefined : `${keyword} must have two arguments`;
  const bad = words.find((word) => !word.includes('='));
  return bad === undefined ? undefined : `Syntax error - can't find = in ${goQuote(bad)}. Must be of the form: name=value`;
}

function hasCommandGap(args: ByteString): boolean {
  for (let i = 0; i < args.length; i++) if (isCommandGap(args.charCodeAt(i))) return true;
  return false;
}

/**
 * Space-separated words, quotes and escapes kept: how BuildKit's `parseWords` sees `ENV` and `LABEL`
 * arguments. It decodes runes (`utf8.DecodeRuneInString`, an invalid byte as U+FFFD) and splits on
 * `unicode.IsSpace` of each rune. The words come back decoded.
 */
function parseWords(args: ByteString, escape: Escape): string[] {
  const escapeCode = escape.charCodeAt(0);
  const words: string[] = [];
  let inWord = false;
  let quote = 0;
  let blankOk = false;
  let word = '';
  for (let pos = 0; pos < args.length; ) {
    let packed = runeAt(args, pos);
    let ch = runeOf(packed);
    pos += widthOf(packed);
    if (!inWord && quote === 0) {
      if (isSpace(ch)) continue;
      inWord = true;
    }
    if (quote === 0) {
      if (isSpace(ch)) {
        if (blankOk || word !== '') words.push(word);
        inWord = false;
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === SINGLE_QUOTE || ch === DOUBLE_QUOTE) {
        quote = ch;
        blankOk = true;
      } else if (ch === escapeCode) {
        if (pos === args.length) continue;
        word += String.fromCodePoint(ch);
        packed = runeAt(args, pos);
        ch = runeOf(packed);
        pos += widthOf(packed);
      }
      word += String.fromCodePoint(ch);
      continue;
    }
    if (ch === quote) quote = 0;
    else if (ch === escapeCode && quote !== SINGLE_QUOTE) {
      if (pos === args.length) {
        quote = 0;
        continue;
      }
      word += String.fromCodePoint(ch);
      packed = runeAt(args, pos);
      ch = runeOf(packed);
      pos += widthOf(packed);
    }
    word += String.fromCodePoint(ch);
  }
  if (inWord || quote !== 0) {
    if (blankOk || word !== '') words.push(word);
  }
  return words;
}

/** Go's `%q` (`strconv.Quote`), in which BuildKit shows a word it refuses. */
function goQuote(text: string): string {
  let quoted = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') quoted += `\\${ch}`;
    else if (GO_ESCAPES[ch] !== undefined) quoted += GO_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x80 || PRINTABLE.test(ch)) quoted += ch;
    else if (code < 0x10000) quoted += `\\u${code.toString(16).padStart(4, '0')}`;
    else quoted += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${quoted}"`;
}

const GO_ESCAPES: Readonly<Record<string, string>> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
