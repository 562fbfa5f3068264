#!/usr/bin/env node
// Nothing is imported before this line runs: `berth run` asks the engine first, then loads the rest.
const argv = process.argv.slice(2);
if (argv[0] === 'run') (await import('./ask-early.js')).askEarly(argv.slice(1));
const { main } = await import('./main.js');

// A reader that stops early (`berth --help | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(argv);
