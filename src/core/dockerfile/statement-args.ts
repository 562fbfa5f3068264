import type { Position } from '../problem.js';
import { DOUBLE_QUOTE, BACKSLASH } from './char-codes.js';
import { goDecode, isValidUtf8, leadingSpaceLength, trimmedEnd } from './go-strings.js';
import { fields, type LogicalLine } from './words.js';

export interface Arg {
  readonly text: string;
  readonly at: Omit<Position, 'file'>;
}

export type ArgsParse =
  | { readonly ok: true; readonly args: readonly Arg[]; readonly json: boolean }
  | { readonly ok: false; readonly code: 'statement.bad-json' | 'statement.not-utf8'; readonly message: string; readonly at: Omit<Position, 'file'> };

/**
 * Splits a statement's arguments, `line.text[from:]`: words between Unicode spaces (`fields`), or
 * the JSON form `["volume", "web pages", "/srv"]`. Arguments must be UTF-8: a name or path that
 * is not would reach the labels and the host otherwise than written.
 */
export function statementArgs(line: LogicalLine, from: number): ArgsParse {
  const start = from + leadingSpaceLength(line.text, from);
  if (line.text.charAt(start) === '[') return jsonArgs(line, start);
  const args: Arg[] = [];
  for (const word of fields(line.text, start)) {
    if (!isValidUtf8(word.bytes)) return notUtf8(line, word.at);
    args.push({ text: goDecode(word.bytes), at: line.positionAt(word.at) });
  }
  return { ok: true, args, json: false };
}

function jsonArgs(line: LogicalLine, start: number): ArgsParse {
  const source = line.text.slice(start, trimmedEnd(line.text, start));
  if (!isValidUtf8(source)) return notUtf8(line, start);
  let parsed: unknown;
  try {
    parsed = JSON.parse(goDecode(source));
  } catch {
    return { ok: false, code: 'statement.bad-json', message: 'malformed JSON form: write ["kind", "arg", ...] with double-quoted strings', at: line.positionAt(start) };
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    return { ok: false, code: 'statement.bad-json', message: 'the JSON form must be an array of strings', at: line.positionAt(start) };
  }
  const offsets = stringOffsets(source);
  const args = (parsed as string[]).map((text, i) => ({ text, at: line.positionAt(start + (offsets[i] ?? 0)) }));
  return { ok: true, args, json: true };
}

function notUtf8(line: LogicalLine, at: number): ArgsParse {
  return { ok: false, code: 'statement.not-utf8', message: 'arguments must be UTF-8 text; save the Dockerfile as UTF-8', at: line.positionAt(at) };
}

// Byte offsets of the opening quote of each string in a JSON array already known to be valid.
function stringOffsets(json: string): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < json.length; i++) {
    if (json.charCodeAt(i) !== DOUBLE_QUOTE) continue;
    offsets.push(i);
    for (i++; i < json.length && json.charCodeAt(i) !== DOUBLE_QUOTE; i++) if (json.charCodeAt(i) === BACKSLASH) i++;
  }
  return offsets;
}
