import { accessSync, closeSync, constants, fstatSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import * as zlib from 'node:zlib';

/** `import()` as the bin does it: what a bundle leaves outside itself lives beside the bin. */
export type ImportExternal = (specifier: string) => Promise<unknown>;

/** A bundle as loaded: its exports, and whether V8's code cache was used, is made at exit, or neither. */
export interface LoadedBundle {
  readonly exports: unknown;
  readonly cache: 'used' | 'made-at-exit' | 'none';
}

// The cache starts with the CRC-32 of the source it was made from: V8 itself checks only the
// source's length, its own version and its flags, so a rebuilt bundle of the same length would
// otherwise run the old bundle's compiled code. A checksum against accidents is enough: whoever
// may write the cache may write the bundle. (zlib.crc32 is in Node 20.15 and later; before it,
// bundles load without a cache. It costs a millisecond less than loading node:crypto.)
const CHECKSUM_BYTES = 4;

/**
 * Loads a CommonJS bundle with V8's code cache kept beside it (`FILE.v8cache`), so that later
 * starts skip parsing and compiling it. Node 22 has this built in (`module.enableCompileCache`);
 * Node 20 does not. Such a script cannot call `import()` itself on Node 20: the bundle gets
 * `importExternal` instead (scripts/build-cli.mjs rewrites its imports to call it).
 *
 * The cache is compiled code, so it is trusted no more than the bundle: it is used only when it
 * was made from this very source, belongs to the bundle's owner and only they may write it. When
 * missing or out of date it is written at exit, so that it also holds what the command compiled
 * as it ran, beside the bundle, if this user may write there.
 */
export function loadBundle(file: string, importExternal: ImportExternal): LoadedBundle {
  const bytes = readFileSync(file);
  const checksum = typeof zlib.crc32 === 'function' ? checksumBytes(zlib.crc32(bytes)) : undefined;
  const cacheFile = `${file}.v8cache`;
  const cached = checksum && readTrustedCache(cacheFile, file, checksum);
  const script = new Script(`(function (exports, require, module, __filename, __dirname, importExternal) {${bytes.toString('utf8')}\n})`, {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
  });
  const used = cached !== undefined && script.cachedDataRejected === false;
  const making = checksum !== undefined && !used && mayWriteBeside(file);
  if (making) process.once('exit', () => writeCache(cacheFile, checksum, script));
  const module = { exports: {} as unknown };
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  body.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), importExternal);
  return { exports: module.exports, cache: used ? 'used' : making ? 'made-at-exit' : 'none' };
}

// The V8 data of a cache made from this very source, owned as the bundle is and writable only by its owner.
function readTrustedCache(cacheFile: string, file: string, checksum: Buffer): Buffer | undefined {
  let fd: number | undefined;
  try {
    // Without blocking: a FIFO put there must not hang berth's start.
    fd = openSync(cacheFile, constants.O_RDONLY | constants.O_NONBLOCK);
    const cache = fstatSync(fd);
    if (!cache.isFile() || cache.uid !== statSync(file).uid || (cache.mode & 0o022) !== 0) return undefined;
    const data = readFileSync(fd);
    return data.subarray(0, CHECKSUM_BYTES).equals(checksum) ? data.subarray(CHECKSUM_BYTES) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// Only the bundle's owner makes its cache (no one else's would be used), and only where it may:
// otherwise making one at every exit would cost each run for nothing.
function mayWriteBeside(file: string): boolean {
  try {
    accessSync(dirname(file), constants.W_OK);
    return statSync(file).uid === process.geteuid?.();
  } catch {
    return false;
  }
}

// Written whole under a name of its own, then renamed: a berth starting meanwhile sees the old cache or the new one.
function writeCache(cacheFile: string, checksum: Buffer, script: Script): void {
  const temporary = `${cacheFile}.${process.pid}`;
  let created = false;
  try {
    const fd = openSync(temporary, 'wx', 0o644);
    created = true;
    try {
      writeFileSync(fd, Buffer.concat([checksum, script.createCachedData()]));
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, cacheFile);
  } catch {
    // A file of that name this process did not create is left alone.
    if (created) unlinkQuietly(temporary);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}

function checksumBytes(crc: number): Buffer {
  const bytes = Buffer.alloc(CHECKSUM_BYTES);
  bytes.writeUInt32BE(crc);
  return bytes;
}
