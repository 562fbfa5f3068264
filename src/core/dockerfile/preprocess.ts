import type { Statement } from './analyse.js';
import { byteStringOf, bytesOf, goDecode, utf8Bytes } from './go-strings.js';
import type { SplitResult } from './instruction.js';

const UTF8_BOM_LENGTH = 3;

/**
 * The plain Dockerfile: every line of every statement becomes an empty line with its own line
 * ending, so all other bytes and every line number stay as the user wrote them. Bytes in, bytes
 * out; a string in (text, as `analyseDockerfile` takes it) gives text back.
 */
export function stripStatements(source: Uint8Array, split: SplitResult, statements: readonly Statement[]): Uint8Array;
export function stripStatements(source: string, split: SplitResult, statements: readonly Statement[]): string;
export function stripStatements(source: Uint8Array | string, split: SplitResult, statements: readonly Statement[]): Uint8Array | string {
  if (statements.length === 0) return source;
  const blank = new Uint8Array(split.lines.length + 1);
  for (const { instruction } of statements) {
    for (let line = instruction.startLine; line <= instruction.endLine; line++) blank[line] = 1;
  }
  const bytes = typeof source === 'string' ? bytesOf(utf8Bytes(source)) : source;
  const out = new Uint8Array(bytes.length);
  let from = split.bom ? UTF8_BOM_LENGTH : 0;
  out.set(bytes.subarray(0, from));
  let to = from;
  for (const line of split.lines) {
    const kept = blank[line.number] ? line.eol.length : line.text.length + line.eol.length;
    const skipped = line.text.length + line.eol.length - kept;
    out.set(bytes.subarray(from + skipped, from + skipped + kept), to);
    from += skipped + kept;
    to += kept;
  }
  const plain = out.subarray(0, to);
  return typeof source === 'string' ? goDecode(byteStringOf(plain)) : plain;
}
