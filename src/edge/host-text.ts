import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { ReadFailure } from '../core/doctor/checks.js';
import { fileProblem } from './errno.js';

/** The largest host file berth reads; a real one is a few KiB. */
export const HOST_FILE_MAX_BYTES = 1024 * 1024;

export type HostText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly failure: ReadFailure; readonly reason: string; readonly cause?: unknown };

// A FIFO would block the read forever and a device such as /dev/zero never ends: only a regular
// file of a sane size is read. Opening without blocking keeps a FIFO with no writer from hanging
// the open itself. The read is synchronous: a host file is a few KiB, and berth run reads it
// before anything else can usefully happen.
/** Reads the host file at `path` if it is a regular file of at most HOST_FILE_MAX_BYTES. */
export function readHostText(path: string): HostText {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (cause) {
    return failed(cause);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, failure: 'directory', reason: 'it is a directory' };
    if (!stat.isFile()) return { ok: false, failure: 'other', reason: `it is ${kindOf(stat)}, not a regular file` };
    if (stat.size > HOST_FILE_MAX_BYTES) return tooLarge();
    // Read to the end, whatever the size said: the file may grow while being read.
    const chunk = Buffer.allocUnsafe(stat.size + 1);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > HOST_FILE_MAX_BYTES) return tooLarge();
      chunks.push(Buffer.from(chunk.subarray(0, bytesRead)));
    }
    return { ok: true, text: Buffer.concat(chunks, length).toString('utf8') };
  } catch (cause) {
    return failed(cause);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(): HostText {
  return { ok: false, failure: 'other', reason: `it is larger than ${HOST_FILE_MAX_BYTES / 1024 / 1024} MiB` };
}

function failed(cause: unknown): HostText {
  const { failure, read } = fileProblem(cause);
  return { ok: false, failure, reason: read, cause };
}

function kindOf(stat: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}
