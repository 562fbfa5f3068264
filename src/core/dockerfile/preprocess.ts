import type { SplitResult } from './instruction.js';
import type { Statement } from './analyse.js';

const BOM = '\uFEFF';

/**
 * The plain Dockerfile: every line of every statement becomes an empty line with its own line
 * ending, so all other bytes and every line number stay as the user wrote them.
 */
export function stripStatements(original: string, split: SplitResult, statements: readonly Statement[]): string {
  if (statements.length === 0) return original;
  const blank = new Uint8Array(split.lines.length + 1);
  for (const { instruction } of statements) {
    for (let line = instruction.startLine; line <= instruction.endLine; line++) blank[line] = 1;
  }
  const out: string[] = split.bom ? [BOM] : [];
  for (const line of split.lines) out.push(blank[line.number] ? line.eol : line.text + line.eol);
  return out.join('');
}
