import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/berth.js';
import { assertRefused, runMain } from '../helpers/cli.js';

const fromRepo = (path: string) => join(REPO_ROOT, path);

describe('berth check', () => {
  it('a valid Dockerfile: exit 0', async () => {
    const result = await runMain(['check', '-f', fromRepo('fixtures/dockerfiles/basic/Dockerfile')]);
    assert.equal(result.exitCode, 0, result.stderr);
  });

  it('a Dockerfile with errors: every problem, exit 1', async () => {
    const file = fromRepo('fixtures/dockerfiles/errors/Dockerfile');
    const result = await runMain(['check', '-f', file]);
    assertRefused(result, 1, new RegExp(`^${file}:1:1: error: NEED must come after a FROM`, 'm'));
    const expected = (await readFile(fromRepo('fixtures/dockerfiles/errors/expected.problems.txt'), 'utf8')).split('\n').filter(Boolean);
    assert.equal(result.stderr.split('\n').filter((line) => line.startsWith(`${file}:`)).length, expected.length);
  });

  it('a valid host file: says so, exit 0', async () => {
    const file = fromRepo('fixtures/host/valid/host.yaml');
    assert.deepEqual(await runMain(['check', '--host-config', file]), { exitCode: 0, stdout: `ok: ${file}\n`, stderr: '' });
  });

  it('a host file with errors: each as FILE:LINE:COL, exit 1', async () => {
    const file = fromRepo('fixtures/host/unknown-keys/host.yaml');
    const result = await runMain(['check', '--host-config', file]);
    assertRefused(result, 1, new RegExp(`^${file}:1:1: error: unknown key "network"`, 'm'));
  });

  it('a host file that is not there: exit 1, what to do', async () => {
    assertRefused(await runMain(['check', '--host-config', '/nonexistent/berth/host.yaml']), 1,
      /cannot read host file \/nonexistent\/berth\/host\.yaml: no such file \(create it, or pass --host-config FILE\)/);
  });
});
