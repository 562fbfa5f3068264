import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, DOUBLE_QUOTE, OPEN_BRACE, OPEN_BRACKET } from './char-codes.js';
import { goDecode, leadingSpaceLength, type ByteString } from './go-strings.js';

/** Go's JSON decoder gives up beyond this depth, and BuildKit then reads the text as shell form. */
const JSON_MAX_DEPTH = 10_000;

/**
 * How BuildKit's `parseJSON` reads arguments: a JSON array of strings, shell form, or a JSON value
 * it refuses. It trims leading `unicode.IsSpace` runes, wants a `[`, then `json.Unmarshal`s into
 * `[]any`: invalid UTF-8 inside a string reads as U+FFFD, and a number beyond float64's range fails
 * the decoding, so such text falls back to shell form.
 */
export function jsonForm(args: ByteString): 'json' | 'shell' | 'not-strings' {
  const text = args.slice(leadingSpaceLength(args));
  if (!text.startsWith('[') || jsonDepth(text) > JSON_MAX_DEPTH) return 'shell';
  const decoded = goDecode(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    return 'shell';
  }
  if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return 'json';
  return hasOutOfRangeNumber(decoded) ? 'shell' : 'not-strings';
}

/** Whether valid JSON holds a number that overflows a float64 (JavaScript reads it as Infinity). */
function hasOutOfRangeNumber(json: string): boolean {
  let found = false;
  JSON.parse(json, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) found = true;
    return value;
  });
  return found;
}

/** How deep arrays and objects nest, as Go's decoder counts for its limit; strings are skipped byte by byte. */
function jsonDepth(text: ByteString): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === DOUBLE_QUOTE) inString = false;
    } else if (code === DOUBLE_QUOTE) inString = true;
    else if (code === OPEN_BRACKET || code === OPEN_BRACE) deepest = Math.max(deepest, ++depth);
    else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) depth--;
  }
  return deepest;
}
