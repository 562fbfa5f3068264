#!/usr/bin/env node
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundle } from './code-cache.js';

// The bin is CommonJS (scripts/build-cli.mjs): Node starts an ES module entry a few milliseconds
// slower. build and run, the commands that wrap docker, are each bundled into one CommonJS file of
// their own, loaded in one step with V8's code cache (see code-cache.ts); the other commands
// share main, an ES module that loads its commands as they are needed.
type Main = (argv: readonly string[]) => Promise<number>;

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);

entry().then(
  async (main) => {
    process.exitCode = await main(argv);
  },
  // Only an incomplete installation gets here: main reports everything else itself.
  (error: unknown) => {
    process.stderr.write(`berth: cannot load berth itself (reinstall it): ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

async function entry(): Promise<Main> {
  const bundle = argv[0] === 'run' ? 'run-main.cjs' : argv[0] === 'build' ? 'build-main.cjs' : undefined;
  if (bundle === undefined) return (await import('./main.js')).main;
  // What a bundle leaves outside itself (commander for help, execa for providers) is imported from
  // here, beside it.
  const { exports } = loadBundle(join(here, bundle), (specifier) => import(specifier));
  return (exports as { main: Main }).main;
}
