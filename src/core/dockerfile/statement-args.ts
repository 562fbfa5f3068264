import type { Position } from '../problem.js';
import type { Rest } from './words.js';

export interface Arg {
  readonly text: string;
  readonly at: Omit<Position, 'file'>;
}

export type ArgsParse =
  | { readonly ok: true; readonly args: readonly Arg[]; readonly json: boolean }
  | { readonly ok: false; readonly message: string; readonly at: Omit<Position, 'file'> };

/** Splits a statement's arguments: whitespace-separated, or the JSON form `["volume", "web pages", "/srv"]`. */
export function statementArgs(rest: Rest): ArgsParse {
  const start = rest.text.search(/\S/);
  if (start >= 0 && rest.text[start] === '[') return jsonArgs(rest, start);
  const args: Arg[] = [];
  for (const match of rest.text.matchAll(/\S+/g)) {
    args.push({ text: match[0], at: rest.positionAt(match.index) });
  }
  return { ok: true, args, json: false };
}

function jsonArgs(rest: Rest, start: number): ArgsParse {
  const source = rest.text.slice(start).trimEnd();
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return { ok: false, message: 'malformed JSON form: write ["kind", "arg", ...] with double-quoted strings', at: rest.positionAt(start) };
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    return { ok: false, message: 'the JSON form must be an array of strings', at: rest.positionAt(start) };
  }
  const offsets = stringOffsets(source);
  const args = (parsed as string[]).map((text, i) => ({ text, at: rest.positionAt(start + (offsets[i] ?? 0)) }));
  return { ok: true, args, json: true };
}

// Offsets of the opening quote of each string in a JSON array already known to be valid.
function stringOffsets(json: string): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < json.length; i++) {
    if (json[i] !== '"') continue;
    offsets.push(i);
    for (i++; i < json.length && json[i] !== '"'; i++) if (json[i] === '\\') i++;
  }
  return offsets;
}
