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
  let outOfRange = false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(goDecode(text), (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) outOfRange = true;
      return value;
    });
  } catch {
    return 'shell';
  }
  if (outOfRange) return 'shell';
  return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? 'json' : 'not-strings';
}

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
