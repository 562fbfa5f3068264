// The built berth CLI, run as a user runs it: `node dist/cli/bin.cjs ARGS`.
import { existsSync } from 'node:fs';
import { BERTH_BIN } from '../helpers/berth.js';
import type { Command } from './measure.js';

export function berth(args: readonly string[], cwd?: string): Command {
  if (!existsSync(BERTH_BIN)) throw new Error(`${BERTH_BIN} does not exist: run npm run build first`);
  return { argv: [process.execPath, BERTH_BIN, ...args], ...(cwd === undefined ? {} : { cwd }) };
}
