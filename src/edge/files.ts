import { readFileSync } from 'node:fs';
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
export async function readDockerfile(path: string, stdin?: NodeJS.ReadableStream): Promise<DockerfileBytes> {
  // process.stdin is only touched for `-`: making it costs a millisecond, and it is not berth's to take otherwise.
  if (path === '-') return { name: '<stdin>', bytes: await readStream(stdin ?? process.stdin) };
  try {
    return { name: path, bytes: readFileSync(path) };
  } catch (cause) {
    throw new BerthError(`cannot read Dockerfile ${path}: ${fileProblem(cause).read} (pass the right file with -f FILE)`, {
      code: 'dockerfile.unreadable',
      cause,
    });
  }
}
