import { realpath, stat } from 'node:fs/promises';

export type DirectoryCheck = { readonly ok: true; readonly realPath: string } | { readonly ok: false; readonly reason: string };

/** Resolves a host directory before it is bind-mounted, so that a missing source never becomes an empty directory. */
export async function inspectDirectory(path: string): Promise<DirectoryCheck> {
  try {
    const realPath = await realpath(path);
    if (!(await stat(realPath)).isDirectory()) return { ok: false, reason: 'is not a directory' };
    return { ok: true, realPath };
  } catch (cause) {
    return { ok: false, reason: reason(cause) };
  }
}

function reason(cause: unknown): string {
  const code = cause !== null && typeof cause === 'object' && 'code' in cause ? cause.code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'ENOTDIR':
      return 'is not a directory (a part of its path is a file)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'has a symbolic link loop';
    case 'ENAMETOOLONG':
      return 'is too long a path';
    default:
      return cause instanceof Error ? cause.message : String(cause);
  }
}
