import { copyFile, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { BerthError } from '../core/errors.js';

/** The plain Dockerfile written where docker can read it, outside the user's build context. */
export interface PlainDockerfile {
  readonly path: string;
  readonly remove: () => Promise<void>;
}

/**
 * Writes the plain Dockerfile into a private temporary folder under the user's file name, with a
 * copy of the user's `FILE.dockerignore` beside it so that docker still finds that ignore file.
 * `context` is the local build context folder, if any: the temporary folder never lies inside it.
 */
export async function writePlainDockerfile(content: Uint8Array, userFile: string | undefined, context?: string): Promise<PlainDockerfile> {
  const dir = await mkdtemp(join(await scratchRoot(context), 'berth-build-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const name = userFile === undefined || userFile === '-' ? 'Dockerfile' : basename(userFile);
    const path = join(dir, name);
    await writeFile(path, content, { mode: 0o600 });
    if (userFile !== undefined && userFile !== '-') {
      await copyFile(`${userFile}.dockerignore`, `${path}.dockerignore`).catch((cause: unknown) => {
        if (!(cause && typeof cause === 'object' && 'code' in cause && cause.code === 'ENOENT')) throw cause;
      });
    }
    return { path, remove };
  } catch (cause) {
    await remove();
    throw cause;
  }
}

// A temporary folder inside the context (TMPDIR inside the project, or a context of /tmp itself)
// would be sent to docker along with the context, and COPY . would put the plain Dockerfile in the image.
async function scratchRoot(context: string | undefined): Promise<string> {
  if (context === undefined) return tmpdir();
  const contextPath = await realpath(context);
  for (const candidate of [tmpdir(), '/tmp', '/var/tmp']) {
    const path = await realpath(candidate).catch(() => undefined);
    if (path !== undefined && !isWithin(path, contextPath)) return path;
  }
  throw new BerthError(`every temporary folder berth could use lies inside the build context ${context}; set TMPDIR to a folder outside it`, {
    code: 'build.no-scratch-folder',
  });
}

function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}
