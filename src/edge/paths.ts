import { lstat, realpath, stat } from 'node:fs/promises';
import type { DirectoryState } from '../core/plan/world-state.js';
import { fileProblem } from './errno.js';

export type DirectoryCheck = DirectoryState;

/** Resolves a host directory before it is bind-mounted, so that a missing source never becomes an empty directory. */
export async function inspectDirectory(path: string): Promise<DirectoryCheck> {
  try {
    const realPath = await realpath(path);
    if (!(await stat(realPath)).isDirectory()) return { ok: false, reason: 'is not a directory' };
    const symlink = await firstSymlink(path);
    return { ok: true, realPath, ...(symlink === undefined ? {} : { symlink }) };
  } catch (cause) {
    return { ok: false, reason: fileProblem(cause).path };
  }
}

// Each part of an absolute path, from the top, looked at without following it.
async function firstSymlink(path: string): Promise<string | undefined> {
  let prefix = '';
  for (const part of path.split('/').filter((p) => p !== '')) {
    prefix = `${prefix}/${part}`;
    if ((await lstat(prefix)).isSymbolicLink()) return prefix;
  }
  return undefined;
}
