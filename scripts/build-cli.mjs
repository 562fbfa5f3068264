// Bundles the command line into dist/cli with esbuild (`npm run build:cli`).
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  outdir: 'dist/cli',
  entryNames: '[name]',
  logLevel: 'warning',
  // yaml's ES module build (published for browsers, the same code): esbuild leaves out what berth
  // does not use, and it needs no CommonJS wrapper.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

// The bin: CommonJS, which Node starts a few milliseconds sooner than an ES module.
await build({
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  entryPoints: ['src/cli/bin.ts'],
  external: ['./main.js'],
  define: { 'import.meta.url': 'berthBinUrl' },
  banner: { js: "const berthBinUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// Every command but build and run, in chunks that each command loads as it needs them.
await build({
  ...common,
  format: 'esm',
  entryPoints: ['src/cli/main.ts', 'src/cli/program.ts'],
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS code asks for node's own modules through `require`.
  banner: { js: "import { createRequire as berthCreateRequire } from 'node:module'; const require = berthCreateRequire(import.meta.url);" },
});

// build and run, which wrap docker and must start as fast as it does, each in one CommonJS file
// that the bin loads with V8's code cache (src/cli/code-cache.ts): one file loads in one step,
// where a chain of shared chunks costs a step per chunk. Their help (commander) and execa (for
// providers) stay outside, loaded only when used.
const bundles = await build({
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  entryPoints: ['src/cli/run-main.ts', 'src/cli/build-main.ts'],
  external: ['./program.js', 'execa'],
  metafile: true,
});

// A script run from V8's code cache cannot call import() on Node 20, so each import() of what
// stays outside a bundle becomes a require() for node's own modules and a call of the loader's
// own import for the rest (`importExternal` in code-cache.ts).
for (const [file, output] of Object.entries(bundles.metafile.outputs)) {
  let text = readFileSync(file, 'utf8');
  for (const path of new Set(output.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path))) {
    const call = `import(${JSON.stringify(path)})`;
    if (!text.includes(call)) throw new Error(`${file}: esbuild wrote its import of ${path} in a form this script does not know`);
    const loaded = path.startsWith('node:') ? `Promise.resolve(require(${JSON.stringify(path)}))` : `importExternal(${JSON.stringify(path)})`;
    text = text.replaceAll(call, loaded);
  }
  // Any import() left would fail only when run: none may be.
  if (/\bimport\(/.test(text)) throw new Error(`${file}: an import() is left that a cached script cannot run`);
  writeFileSync(file, text);
}
