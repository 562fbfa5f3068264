import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspectDirectory } from '../../src/edge/paths.js';

describe('inspectDirectory', () => {
  let dir = '';
  before(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-paths-')));
    await mkdir(join(dir, 'www'));
    await writeFile(join(dir, 'file'), 'x');
    await symlink(join(dir, 'www'), join(dir, 'to-www'));
    await symlink('www', join(dir, 'to-www-relative'));
    await symlink(join(dir, 'file'), join(dir, 'to-file'));
    await symlink(join(dir, 'gone'), join(dir, 'dangling'));
    await symlink('loop', join(dir, 'loop'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a directory and gives its real path', async () => {
    assert.deepEqual(await inspectDirectory(join(dir, 'www')), { ok: true, realPath: join(dir, 'www') });
  });

  it('resolves symbolic links to a directory, naming the first one on the path', async () => {
    assert.deepEqual(await inspectDirectory(join(dir, 'to-www')), { ok: true, realPath: join(dir, 'www'), symlink: join(dir, 'to-www') });
    assert.deepEqual(await inspectDirectory(join(dir, 'to-www-relative')), { ok: true, realPath: join(dir, 'www'), symlink: join(dir, 'to-www-relative') });
    await mkdir(join(dir, 'www', 'sub'), { recursive: true });
    assert.deepEqual(await inspectDirectory(join(dir, 'to-www', 'sub')), { ok: true, realPath: join(dir, 'www', 'sub'), symlink: join(dir, 'to-www') });
  });

  const refused: ReadonlyArray<readonly [string, string]> = [
    ['file', 'is not a directory'],
    ['to-file', 'is not a directory'],
    ['missing', 'does not exist'],
    ['dangling', 'does not exist'],
    ['file/below', 'is not a directory (a part of its path is a file)'],
    ['loop', 'has a symbolic link loop'],
  ];
  for (const [name, reason] of refused) {
    it(`refuses ${name}: ${reason}`, async () => {
      assert.deepEqual(await inspectDirectory(join(dir, name)), { ok: false, reason });
    });
  }
});
