import { buildCommand } from './commands/build.js';
import { processOutput, type Output } from './output.js';
import { commandHelp, reported } from './report.js';

/** `berth build ARGS`, bundled into a file of its own that loads in one step (see bin.ts). */
export function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  return reported(() => buildCommand(argv.slice(1), output, () => commandHelp('build', output)), output);
}
