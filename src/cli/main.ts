import { processOutput, type Output } from './output.js';
import { commandHelp, reported } from './report.js';

/** Runs the berth command line and returns the exit status. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  return reported(() => dispatch(argv, output), output);
}

// build, run and compose pass the engine's options through untouched, so they go straight to their command;
// commander (loaded only for the others and for help) describes them.
async function dispatch(argv: readonly string[], output: Output): Promise<number> {
  const [name, ...rest] = argv;
  const help = () => commandHelp(name ?? '', output);
  if (name === 'build') return (await import('./commands/build.js')).buildCommand(rest, output, help);
  if (name === 'run') return (await import('./commands/run.js')).runCommand(rest, output, help);
  if (name === 'compose') return (await import('./commands/compose.js')).composeCommand(rest, output, help);
  if (name === '--version' || name === '-V') return (await import('./commands/version.js')).versionCommand(rest, output);
  return (await import('./program.js')).runProgram(argv, output);
}
