import type { Statement } from './analyse.js';
import { bytesOf, goDecode } from './go-strings.js';
import type { SplitResult } from './instruction.js';

const UTF8_BOM = '\xef\xbb\xbf';

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
  const out: string[] = split.bom ? [UTF8_BOM] : [];
  for (const line of split.lines) out.push(blank[line.number] ? line.eol : line.text + line.eol);
  const bytes = out.join('');
  return typeof source === 'string' ? goDecode(bytes) : bytesOf(bytes);
}
