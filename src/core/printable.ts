// Text from an image, a provider or the engine is untrusted: before it reaches a terminal, every
// character that could move the cursor, clear the screen, reorder what is shown or hide text
// becomes a visible escape, and the text is cut short.

/**
 * Characters a terminal may act on rather than show: C0, DEL and C1 controls (U+009B is a CSI on
 * its own), format characters (bidi embeddings, overrides and isolates, zero-width characters, the
 * byte-order mark), line and paragraph separators, and lone surrogates.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'gu');

/** Characters kept in a message by default; longer text ends with "…". */
export const PRINTABLE_MAX = 80;

/** True when `text` has a character that `printable` would escape. */
export function hasUnprintable(text: string): boolean {
  return UNPRINTABLE.test(text);
}

/** The first unprintable character of `text`, if any. */
export function firstUnprintable(text: string): string | undefined {
  return UNPRINTABLE.exec(text)?.[0];
}

/** `U+001B`: how a message names a character. */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Untrusted text made safe to print: unprintable characters escaped as `\u001b`, at most `max` characters kept. */
export function printable(text: string, max = PRINTABLE_MAX): string {
  const chars = Array.from(text);
  const kept = chars.length > max ? chars.slice(0, max).join('') : text;
  const escaped = kept.replace(UNPRINTABLE_ALL, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
  return chars.length > max ? `${escaped}…` : escaped;
}

/** Like `printable`, line by line: keeps the line breaks of multi-line text (provider stderr), escapes everything else. */
export function printableLines(text: string, maxPerLine = 200): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map((line) => printable(line.replaceAll('\t', ' '), maxPerLine)).join('\n');
}

/** `JSON.stringify` whose output a terminal shows as it is: characters `printable` escapes are written as `\u` escapes, which JSON reads back as the same text. */
export function printableJson(value: unknown, indent?: number): string {
  // JSON.stringify escapes C0 controls inside strings itself; the newlines left are its own indentation.
  return JSON.stringify(value, null, indent).replace(UNPRINTABLE_ALL, (char) => (char === '\n' ? char : `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`));
}
