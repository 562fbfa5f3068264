#!/usr/bin/env node
// build and run, the commands that wrap docker, are each bundled into one file of their own, so
// that each loads in one step instead of a chain of shared chunks; the other commands share main.
const argv = process.argv.slice(2);
const entry = argv[0] === 'run' ? import('./run-main.js') : argv[0] === 'build' ? import('./build-main.js') : import('./main.js');
const { main } = await entry;

// A reader that stops early (`berth --help | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(argv);
