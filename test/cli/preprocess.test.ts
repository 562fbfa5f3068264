import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/berth.js';
import { assertRefused, runMain } from '../helpers/cli.js';

const fixture = (name: string, file = 'Dockerfile') => join(REPO_ROOT, 'fixtures/dockerfiles', name, file);

describe('berth preprocess', () => {
  it('prints the plain Dockerfile docker will see, exit 0', async () => {
    const result = await runMain(['preprocess', '-f', fixture('basic')]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, await readFile(fixture('basic', 'expected.Dockerfile'), 'utf8'));
    assert.equal(result.stderr, '');
  });

  it('--labels: the labels berth build would add, as JSON', async () => {
    const result = await runMain(['preprocess', '--labels', '-f', fixture('basic')]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), JSON.parse(await readFile(fixture('basic', 'expected.labels.json'), 'utf8')));
  });

  it('a file with errors: every problem as FILE:LINE:COL, nothing on stdout, exit 1', async () => {
    const file = fixture('errors');
    const result = await runMain(['preprocess', '-f', file]);
    const expected = (await readFile(fixture('errors', 'expected.problems.txt'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^Dockerfile:/, `${file}:`));
    assertRefused(result, 1, /nothing was done\n$/);
    assert.equal(result.stdout, '');
    assert.deepEqual(result.stderr.split('\n').filter((line) => line.startsWith(`${file}:`)), expected);
  });

  it('a file that is not there: exit 1, what to do', async () => {
    const missing = join(REPO_ROOT, 'fixtures/no/such/Dockerfile');
    assertRefused(await runMain(['preprocess', '-f', missing]), 1,
      new RegExp(`^berth: cannot read Dockerfile ${missing}: no such file \\(pass the right file with -f FILE\\)\\n$`));
  });
});
