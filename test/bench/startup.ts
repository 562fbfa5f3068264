// How long berth takes to start and exit, beside node starting and exiting with nothing to do.
import { berth } from './berth-bin.js';
import { timeCommands } from './measure.js';
import type { Figure } from './table.js';

const RUNS = 21;

export async function benchStartup(): Promise<Figure[]> {
  const [berthMs = Number.NaN, nodeMs = Number.NaN] = await timeCommands([berth(['--version']), { argv: [process.execPath, '-e', ''] }], RUNS);
  return [{ what: 'berth --version', berthMs, baseline: "node -e ''", baselineMs: nodeMs }];
}
