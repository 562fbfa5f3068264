import { BerthError } from '../core/errors.js';
import { formatProblems, hasErrors, type Problem } from '../core/problem.js';
import type { Output } from './output.js';

/** Prints warnings and fails with every error at once, like a compiler. */
export function reportProblems(problems: readonly Problem[], output: Output, what: string): void {
  if (hasErrors(problems)) {
    const count = problems.filter((p) => p.severity === 'error').length;
    throw new BerthError(`${what}: ${count} error${count === 1 ? '' : 's'}; nothing was done`, {
      code: 'input.invalid',
      problems,
    });
  }
  if (problems.length > 0) output.stderr(`${formatProblems(problems)}\n`);
}
