import { readFile } from 'node:fs/promises';
import { text as readStream } from 'node:stream/consumers';
import { BerthError } from '../core/errors.js';
import { fileProblem } from './errno.js';

/** A Dockerfile as read, with the name messages use for it. */
export interface DockerfileText {
  readonly name: string;
  readonly text: string;
}

/** Reads a Dockerfile, or stdin for `-`, failing with a message that says what to do. */
export async function readDockerfile(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<DockerfileText> {
  if (path === '-') return { name: '<stdin>', text: await readStream(stdin) };
  try {
    return { name: path, text: await readFile(path, 'utf8') };
  } catch (cause) {
    throw new BerthError(`cannot read Dockerfile ${path}: ${fileProblem(cause).read} (pass the right file with -f FILE)`, {
      code: 'dockerfile.unreadable',
      cause,
    });
  }
}
