// berth's command line in-process: `main(argv, output)` with its output captured, and engine
// CLIs that answer with odd output put first on PATH.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { STACK_FRAME } from './berth.js';
import { withEnv } from './env.js';

export interface Captured {
  readonly exitCode: number;
  /** stdout decoded as UTF-8 (a plain Dockerfile is written as bytes). */
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `berth ARGV` in this process with `env` over the environment; never throws. */
export async function runMain(argv: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Captured> {
  const stdout: Buffer[] = [];
  let stderr = '';
  const restore = withEnv(env);
  try {
    const exitCode = await main(argv, { stdout: (text) => stdout.push(Buffer.from(text)), stderr: (text) => (stderr += text) });
    return { exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr };
  } finally {
    restore();
  }
}

/** A refusal: `exitCode`, nothing on stdout, the message on stderr, no stack trace. */
export function assertRefused(result: Captured, exitCode: number, message: RegExp): void {
  assert.equal(result.exitCode, exitCode, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, STACK_FRAME);
  assert.doesNotMatch(result.stderr, /internal error/);
}

export interface FakeEngineCli {
  /** Put this over the environment: PATH finds the fake first. */
  readonly env: Readonly<Record<string, string>>;
  readonly remove: () => Promise<void>;
}

/** A `docker` (or `podman`) first on PATH that runs the shell `body` with berth's arguments in "$@". */
export async function fakeEngineCli(body: string, name: 'docker' | 'podman' = 'docker'): Promise<FakeEngineCli> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-fake-engine-'));
  await writeFile(join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return {
    // BERTH_ENGINE_API=0: berth asks the fake, not the daemon's socket, even for what that could answer.
    env: { PATH: `${dir}:${process.env['PATH'] ?? ''}`, BERTH_ENGINE_API: '0' },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
