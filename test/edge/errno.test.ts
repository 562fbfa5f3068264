import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileProblem } from '../../src/edge/errno.js';

describe('fileProblem', () => {
  const cases: readonly [code: string, failure: string, read: string, path: string][] = [
    ['ENOENT', 'missing', 'no such file', 'does not exist'],
    ['ENOTDIR', 'missing', 'no such file', 'is not a directory (a part of its path is a file)'],
    ['EACCES', 'denied', 'permission denied', 'permission denied'],
    ['EPERM', 'denied', 'permission denied', 'permission denied'],
    ['EISDIR', 'directory', 'it is a directory', 'is a directory'],
    ['ELOOP', 'other', 'a symbolic link loop', 'has a symbolic link loop'],
    ['ENAMETOOLONG', 'other', 'the path is too long', 'is too long a path'],
  ];
  for (const [code, failure, read, path] of cases) {
    it(`${code}: ${failure}, "${read}" / "${path}"`, () => {
      assert.deepEqual(fileProblem(Object.assign(new Error(`${code}: whatever`), { code })), { failure, read, path });
    });
  }

  it('keeps the message of anything else', () => {
    const odd = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    assert.deepEqual(fileProblem(odd), { failure: 'other', read: 'EIO: i/o error, read', path: 'EIO: i/o error, read' });
    assert.equal(fileProblem({ code: 'EXDEV' }).read, 'EXDEV');
    assert.equal(fileProblem('gone').read, 'gone');
  });

  it('reads the code of a real failure', async () => {
    const caught = await readFile('/nonexistent/berth/file').catch((error: unknown) => error);
    assert.equal(fileProblem(caught).failure, 'missing');
    const directory = await readFile('/').catch((error: unknown) => error);
    assert.equal(fileProblem(directory).read, 'it is a directory');
  });
});
