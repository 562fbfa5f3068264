import { CommanderError } from 'commander';
import { BerthError, EXIT_FAILURE } from '../core/errors.js';
import { formatProblems } from '../core/problem.js';
import { processOutput, say, type Output } from './output.js';
import { runProgram } from './program.js';

/** Runs the berth command line and returns the exit status; the one place that reports failures. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  try {
    return await runProgram(argv, output);
  } catch (caught) {
    if (caught instanceof BerthError) {
      if (caught.problems.length > 0) output.stderr(`${formatProblems(caught.problems)}\n`);
      say(output, caught.message);
      return caught.exitCode;
    }
    if (caught instanceof CommanderError) return caught.exitCode;
    const detail = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
    say(output, `internal error (please report it): ${detail}`);
    return EXIT_FAILURE;
  }
}
