// Calls go downwards only: core ← edge ← run ← cli (docs/architecture.md, "Layers"). Read from the
// import statements of every source file, so a layer that reaches up fails here, naming the file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './helpers/berth.js';

const SRC = join(REPO_ROOT, 'src');
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  edge: ['core', 'edge'],
  run: ['core', 'edge', 'run'],
  cli: ['core', 'edge', 'run', 'cli'],
};
// The pure core touches no files, processes or network; node:path's posix rules are pure.
const CORE_FORBIDDEN = /^(node:(?!path$)|execa$)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms), ...text.matchAll(/\bimport\('([^']+)'\)/g)].map((m) => m[1] ?? '');
}

function layerOf(path: string): string | undefined {
  const [top] = relative(SRC, path).split('/');
  return top !== undefined && top in MAY_IMPORT ? top : undefined;
}

describe('layers', () => {
  for (const layer of Object.keys(MAY_IMPORT)) {
    it(`${layer} imports only from ${MAY_IMPORT[layer]?.join(', ')}`, () => {
      const wrong: string[] = [];
      for (const file of sources(join(SRC, layer))) {
        for (const specifier of imports(file)) {
          const where = relative(REPO_ROOT, file);
          if (!specifier.startsWith('.')) {
            if (layer === 'core' && CORE_FORBIDDEN.test(specifier)) wrong.push(`${where}: ${specifier}`);
            continue;
          }
          const target = layerOf(resolve(dirname(file), specifier));
          if (target !== undefined && !MAY_IMPORT[layer]?.includes(target)) wrong.push(`${where}: ${specifier}`);
        }
        if (layer === 'core' && /\bprocess\.(env|exit|stdout|stderr|argv|cwd)\b/.test(readFileSync(file, 'utf8'))) wrong.push(`${relative(REPO_ROOT, file)}: process`);
      }
      assert.deepEqual(wrong, []);
    });
  }
});
