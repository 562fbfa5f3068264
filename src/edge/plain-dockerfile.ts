import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** The plain Dockerfile written where docker can read it, outside the user's build context. */
export interface PlainDockerfile {
  readonly path: string;
  readonly remove: () => Promise<void>;
}

/**
 * Writes the plain Dockerfile into a private temporary folder under the user's file name, with a
 * copy of the user's `FILE.dockerignore` beside it so that docker still finds that ignore file.
 */
export async function writePlainDockerfile(text: string, userFile: string | undefined): Promise<PlainDockerfile> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-build-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const name = userFile === undefined || userFile === '-' ? 'Dockerfile' : basename(userFile);
    const path = join(dir, name);
    await writeFile(path, text, { mode: 0o600 });
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
