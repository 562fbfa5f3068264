import { BerthError, EXIT_FAILURE } from '../core/errors.js';
import { formatProblems } from '../core/problem.js';
import { processOutput, say, type Output } from './output.js';

/** Runs the berth command line and returns the exit status; the one place that reports failures. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  try {
    return await dispatch(argv, output);
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

// build and run pass docker's options through untouched, so they go straight to their command;
// commander (loaded only for the others and for help) describes them.
async function dispatch(argv: readonly string[], output: Output): Promise<number> {
  const [name, ...rest] = argv;
  const help = async () => (await import('./program.js')).printCommandHelp(name ?? '', output);
  if (name === 'build') return (await import('./commands/build.js')).buildCommand(rest, output, help);
  if (name === 'run') return (await import('./commands/run.js')).runCommand(rest, output, help);
  if (name === '--version' || name === '-V') return (await import('./commands/version.js')).versionCommand(rest, output);
  return (await import('./program.js')).runProgram(argv, output);
}
