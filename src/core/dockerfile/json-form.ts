import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, DOUBLE_QUOTE, OPEN_BRACE, OPEN_BRACKET } from './char-codes.js';
import { leadingSpaceLength } from './go-strings.js';

/** Go's JSON decoder gives up beyond this depth, and BuildKit then reads the text as shell form. */
const JSON_MAX_DEPTH = 10_000;

/** How BuildKit reads arguments: a JSON array of strings, shell form, or a JSON value it refuses. */
export function jsonForm(args: string): 'json' | 'shell' | 'not-strings' {
  const text = args.slice(leadingSpaceLength(args));
  if (!text.startsWith('[') || jsonDepth(text) > JSON_MAX_DEPTH) return 'shell';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'shell';
  }
  return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? 'json' : 'not-strings';
}

function jsonDepth(text: string): number {
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
