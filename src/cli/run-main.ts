import { letQueriesGo } from '../edge/engine.js';
import { askEarly } from './ask-early.js';
import { runCommand } from './commands/run.js';
import { processOutput, type Output } from './output.js';
import { commandHelp, reported } from './report.js';

/**
 * `berth run ARGS`, bundled into a file of its own that loads in one step (see bin.ts): the
 * engine queries start first, and the engine answers while berth reads the host file.
 */
export function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const args = argv.slice(1);
  return reported(async () => {
    const hostText = askEarly(args);
    await letQueriesGo();
    return runCommand(args, output, () => commandHelp('run', output), hostText);
  }, output);
}
