import { readFile } from 'node:fs/promises';
import { buffer as readStream } from 'node:stream/consumers';
import { BerthError } from '../core/errors.js';
import { fileProblem } from './errno.js';

/** A Dockerfile as read, with the name messages use for it. */
export interface DockerfileBytes {
  readonly name: string;
  /** The file's bytes, undecoded: docker gets them back unchanged outside the statements. */
  readonly bytes: Uint8Array;
}

/** Reads a Dockerfile, or stdin for `-`, failing with a message that says what to do. */
export async function readDockerfile(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<DockerfileBytes> {
  if (path === '-') return { name: '<stdin>', bytes: await readStream(stdin) };
  try {
    return { name: path, bytes: await readFile(path) };
  } catch (cause) {
    throw new BerthError(`cannot read Dockerfile ${path}: ${fileProblem(cause).read} (pass the right file with -f FILE)`, {
      code: 'dockerfile.unreadable',
      cause,
    });
  }
}
