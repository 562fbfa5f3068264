import { BerthError, EXIT_FAILURE } from '../core/errors.js';
import { formatProblems } from '../core/problem.js';
import { say, type Output } from './output.js';

/** Runs a command and returns its exit status; the one place that reports what a command throws. */
export async function reported(command: () => Promise<number>, output: Output): Promise<number> {
  try {
    return await command();
  } catch (caught) {
    if (caught instanceof BerthError) {
      if (caught.problems.length > 0) output.stderr(`${formatProblems(caught.problems)}\n`);
      say(output, caught.message);
      return caught.exitCode;
    }
    const detail = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
    say(output, `internal error (please report it): ${detail}`);
    return EXIT_FAILURE;
  }
}

/** Prints the help of one command; commander describes the commands, and loads only for this. */
export async function commandHelp(name: string, output: Output): Promise<void> {
  (await import('./program.js')).printCommandHelp(name, output);
}
