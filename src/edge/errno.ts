// Node reports a failed file-system call by its errno code; this is the one place that turns a
// code into words, so every message about a path says the same thing the same way.

/** What a failed file-system call says about the path, in the few cases berth tells apart. */
export type FileFailure = 'missing' | 'denied' | 'directory' | 'other';

export interface FileProblem {
  readonly failure: FileFailure;
  /** Follows "cannot read PATH: ", e.g. `no such file`. */
  readonly read: string;
  /** Follows "PATH ", e.g. `does not exist`. */
  readonly path: string;
}

const KNOWN: Readonly<Record<string, FileProblem>> = {
  ENOENT: { failure: 'missing', read: 'no such file', path: 'does not exist' },
  ENOTDIR: { failure: 'missing', read: 'no such file', path: 'is not a directory (a part of its path is a file)' },
  EACCES: { failure: 'denied', read: 'permission denied', path: 'permission denied' },
  EPERM: { failure: 'denied', read: 'permission denied', path: 'permission denied' },
  EISDIR: { failure: 'directory', read: 'it is a directory', path: 'is a directory' },
  ELOOP: { failure: 'other', read: 'a symbolic link loop', path: 'has a symbolic link loop' },
  ENAMETOOLONG: { failure: 'other', read: 'the path is too long', path: 'is too long a path' },
};

/** Words for a failed file-system call (an error with an errno `code`); an unknown code keeps Node's own message. */
export function fileProblem(cause: unknown): FileProblem {
  const { code, message } = (cause !== null && typeof cause === 'object' ? cause : {}) as { code?: unknown; message?: unknown };
  const known = typeof code === 'string' ? KNOWN[code] : undefined;
  if (known) return known;
  const said = typeof message === 'string' ? message : typeof code === 'string' ? code : String(cause);
  return { failure: 'other', read: said, path: said };
}
