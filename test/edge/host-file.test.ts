import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BerthError } from '../../src/core/errors.js';
import { execa } from 'execa';
import { DEFAULT_HOST_CONFIG_PATH, hostConfigPath, readHostConfig } from '../../src/edge/host-file.js';
import { HOST_FILE_MAX_BYTES } from '../../src/edge/host-text.js';

describe('hostConfigPath', () => {
  it('prefers --host-config, then $BERTH_HOST_CONFIG, then /etc/berth/host.yaml', () => {
    assert.equal(hostConfigPath('/opt/h.yaml', { BERTH_HOST_CONFIG: '/env/h.yaml' }), '/opt/h.yaml');
    assert.equal(hostConfigPath(undefined, { BERTH_HOST_CONFIG: '/env/h.yaml' }), '/env/h.yaml');
    assert.equal(hostConfigPath(undefined, {}), '/etc/berth/host.yaml');
    assert.equal(DEFAULT_HOST_CONFIG_PATH, '/etc/berth/host.yaml');
  });

  it('treats an empty variable as unset', () => {
    assert.equal(hostConfigPath(undefined, { BERTH_HOST_CONFIG: '' }), '/etc/berth/host.yaml');
  });

  it('refuses an empty --host-config rather than falling back to the default', () => {
    assert.throws(() => hostConfigPath('', { BERTH_HOST_CONFIG: '/env/h.yaml' }), (caught: unknown) => {
      assert.ok(caught instanceof BerthError);
      assert.equal(caught.code, 'host.empty-path');
      assert.match(caught.message, /--host-config was given an empty file name/);
      return true;
    });
  });

  it('makes a relative path absolute, since providers run in /', () => {
    assert.equal(hostConfigPath('h.yaml', {}), join(process.cwd(), 'h.yaml'));
    assert.equal(hostConfigPath(undefined, { BERTH_HOST_CONFIG: 'conf/../h.yaml' }), join(process.cwd(), 'h.yaml'));
  });
});

describe('readHostConfig', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-host-file-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function failure(path: string): Promise<BerthError> {
    try {
      await readHostConfig(path);
    } catch (caught) {
      assert.ok(caught instanceof BerthError, String(caught));
      return caught;
    }
    assert.fail('readHostConfig did not throw');
  }

  it('reads and validates a host file', async () => {
    const path = join(dir, 'host.yaml');
    await copyFile('fixtures/host/valid/host.yaml', path);
    const config = await readHostConfig(path);
    assert.equal(config.file, path);
    assert.equal(config.addresses.get('webserver')?.ipv6, '2001:db8:1::8888:20');
    assert.equal(config.networks.get('public6')?.at.file, path);
  });

  it('reads an empty file as an empty configuration', async () => {
    const path = join(dir, 'empty.yaml');
    await writeFile(path, '');
    assert.equal((await readHostConfig(path)).networks.size, 0);
  });

  it('says what to do when the file is missing', async () => {
    const error = await failure('/nonexistent/berth/host.yaml');
    assert.equal(error.code, 'host.unreadable');
    assert.equal(error.exitCode, 1);
    assert.equal(
      error.message,
      'cannot read host file /nonexistent/berth/host.yaml: no such file (create it, or pass --host-config FILE)',
    );
    assert.equal((error.cause as NodeJS.ErrnoException).code, 'ENOENT');
  });

  it('refuses a directory', async () => {
    const error = await failure(dir);
    assert.equal(error.code, 'host.unreadable');
    assert.equal(error.message, `cannot read host file ${dir}: it is a directory (pass the host file itself)`);
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'fifo');
    await execa('mkfifo', [fifo]);
    const started = Date.now();
    const error = await failure(fifo);
    assert.ok(Date.now() - started < 2000, 'reading the FIFO blocked');
    assert.equal(error.code, 'host.unreadable');
    assert.equal(error.message, `cannot read host file ${fifo}: it is a FIFO, not a regular file (pass a regular file of at most 1 MiB with --host-config FILE)`);
  });

  it('refuses a device such as /dev/zero without reading it', async () => {
    const error = await failure('/dev/zero');
    assert.equal(error.message, 'cannot read host file /dev/zero: it is a device, not a regular file (pass a regular file of at most 1 MiB with --host-config FILE)');
  });

  it('refuses a file larger than 1 MiB', async () => {
    const path = join(dir, 'large.yaml');
    await writeFile(path, `# ${'x'.repeat(HOST_FILE_MAX_BYTES)}\n`);
    const error = await failure(path);
    assert.match(error.message, /: it is larger than 1 MiB \(/);
  });

  it('reads a file of exactly 1 MiB', async () => {
    const path = join(dir, 'limit.yaml');
    await writeFile(path, `#${'x'.repeat(HOST_FILE_MAX_BYTES - 2)}\n`);
    assert.equal((await readHostConfig(path)).networks.size, 0);
  });

  it('attaches every problem of an invalid file, positioned in it', async () => {
    const path = join(dir, 'invalid.yaml');
    await writeFile(path, 'volumes:\n  v:\n    source: relative\nextra: 1\n');
    const error = await failure(path);
    assert.equal(error.code, 'host.invalid');
    assert.equal(error.message, `host file ${path} is invalid: 2 errors (fix them, then run again)`);
    assert.deepEqual(
      error.problems.map((p) => [p.file, p.line, p.column, p.code]),
      [
        [path, 3, 13, 'host.relative-path'],
        [path, 4, 1, 'host.unknown-key'],
      ],
    );
  });
});
