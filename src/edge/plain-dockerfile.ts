import { copyFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, relative, sep } from 'node:path';
import { BerthError } from '../core/errors.js';
import { fileProblem } from './errno.js';
import { makeScratchFolder } from './scratch-folder.js';

/** The plain Dockerfile written where docker can read it, outside the user's build context. */
export interface PlainDockerfile {
  readonly path: string;
  readonly remove: () => void;
}

/**
 * Writes the plain Dockerfile into a private temporary folder under the user's file name, with a
 * copy of the user's `FILE.dockerignore` beside it so that docker still finds that ignore file.
 * `context` is the local build context folder, if any: the temporary folder never lies inside it.
 */
export function writePlainDockerfile(content: Uint8Array, userFile: string | undefined, context?: string): PlainDockerfile {
  const scratch = makeScratchFolder(scratchRoot(context), 'berth-build-');
  const path = scratch.file(userFile === undefined || userFile === '-' ? 'Dockerfile' : basename(userFile));
  try {
    writeFileSync(path, content, { mode: 0o600 });
    if (userFile !== undefined && userFile !== '-') {
      try {
        copyFileSync(`${userFile}.dockerignore`, scratch.file(`${basename(path)}.dockerignore`));
      } catch (cause) {
        if (fileProblem(cause).failure !== 'missing') throw cause;
      }
    }
    return { path, remove: () => scratch.remove() };
  } catch (cause) {
    scratch.remove();
    throw cause;
  }
}

// A temporary folder inside the context (TMPDIR inside the project, or a context of /tmp itself)
// would be sent to docker along with the context, and COPY . would put the plain Dockerfile in the image.
function scratchRoot(context: string | undefined): string {
  if (context === undefined) return tmpdir();
  const contextPath = realpathSync(context);
  for (const candidate of [tmpdir(), '/tmp', '/var/tmp']) {
    let path: string;
    try {
      path = realpathSync(candidate);
    } catch {
      continue;
    }
    if (!isWithin(path, contextPath)) return path;
  }
  throw new BerthError(`every temporary folder berth could use lies inside the build context ${context}; set TMPDIR to a folder outside it`, {
    code: 'build.no-scratch-folder',
  });
}

function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}
