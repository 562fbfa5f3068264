import { realpath, stat } from 'node:fs/promises';
import { fileProblem } from './errno.js';

export type DirectoryCheck = { readonly ok: true; readonly realPath: string } | { readonly ok: false; readonly reason: string };

/** Resolves a host directory before it is bind-mounted, so that a missing source never becomes an empty directory. */
export async function inspectDirectory(path: string): Promise<DirectoryCheck> {
  try {
    const realPath = await realpath(path);
    if (!(await stat(realPath)).isDirectory()) return { ok: false, reason: 'is not a directory' };
    return { ok: true, realPath };
  } catch (cause) {
    return { ok: false, reason: fileProblem(cause).path };
  }
}
