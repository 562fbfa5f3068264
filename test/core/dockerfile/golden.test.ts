import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyseDockerfile } from '../../../src/core/dockerfile/analyse.js';
import { declaredAt } from '../../../src/core/dockerfile/declared-at.js';
import { stripStatements } from '../../../src/core/dockerfile/preprocess.js';
import { encodeLabels } from '../../../src/core/labels.js';
import { formatProblems } from '../../../src/core/problem.js';

// fixtures/dockerfiles/<case>/Dockerfile → expected.Dockerfile, expected.labels.json, expected.problems.txt.
// Dockerfiles are read and compared as bytes: they need not be UTF-8.
// BERTH_UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
const root = new URL('../../../fixtures/dockerfiles/', import.meta.url);
const update = process.env['BERTH_UPDATE_GOLDEN'] === '1';

function expect(dir: URL, name: string, actual: string | Uint8Array | undefined): void {
  const file = new URL(name, dir);
  if (update) {
    if (actual !== undefined) writeFileSync(file, actual);
    return;
  }
  if (actual === undefined) {
    assert.equal(existsSync(file), false, `${name} should not exist`);
    return;
  }
  if (typeof actual === 'string') assert.equal(actual, readFileSync(file, 'utf8'), name);
  else assert.ok(Buffer.from(actual).equals(readFileSync(file)), `${name}: not the same bytes`);
}

describe('golden Dockerfiles', () => {
  for (const name of readdirSync(root).sort()) {
    const dir = new URL(`${name}/`, root);
    it(name, () => {
      const text = readFileSync(new URL('Dockerfile', dir));
      const optionsFile = new URL('options.json', dir);
      const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as { target?: string }) : {};
      const analysis = analyseDockerfile(text, { file: 'Dockerfile', ...options });
      const failed = analysis.problems.some((p) => p.severity === 'error');
      expect(dir, 'expected.problems.txt', analysis.problems.length > 0 ? `${formatProblems(analysis.problems)}\n` : undefined);
      expect(dir, 'expected.Dockerfile', failed ? undefined : stripStatements(text, analysis.split, analysis.statements));
      expect(dir, 'expected.labels.json', failed ? undefined : `${JSON.stringify(encodeLabels(analysis.needs, (n) => declaredAt(n)), null, 2)}\n`);
      if (!failed) {
        const plain = stripStatements(text, analysis.split, analysis.statements);
        const lines = (bytes: Uint8Array) => bytes.filter((byte) => byte === 0x0a).length;
        assert.equal(lines(plain), lines(text), 'line count kept');
      }
    });
  }
});
