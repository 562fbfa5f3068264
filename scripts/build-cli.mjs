// Bundles the command line into dist/cli with esbuild (`npm run build:cli`).
import { build } from 'esbuild';

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/cli',
  entryNames: '[name]',
  logLevel: 'warning',
  // yaml's ES module build (published for browsers, the same code): esbuild leaves out what berth
  // does not use, and it needs no CommonJS wrapper.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  // Bundled CommonJS code asks for node's own modules through `require`.
  banner: { js: "import { createRequire as berthCreateRequire } from 'node:module'; const require = berthCreateRequire(import.meta.url);" },
};

// The bin, and every command but build and run in chunks that each command loads as it needs them.
await build({
  ...common,
  entryPoints: ['src/cli/bin.ts', 'src/cli/main.ts', 'src/cli/program.ts'],
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['./run-main.js', './build-main.js'],
});

// build and run, which wrap docker and must start as fast as it does, each in one file: one file
// loads in one step, where a chain of shared chunks costs a step per chunk. Their help (commander)
// and execa (for providers) stay outside, loaded only when used.
await build({
  ...common,
  entryPoints: ['src/cli/run-main.ts', 'src/cli/build-main.ts'],
  external: ['./program.js', 'execa'],
});
