// The built berth CLI run as a user runs it (`node dist/cli/bin.cjs ARGS`), and a stand-in `docker`
// that only records how it was called, for checks that berth never reached the engine.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BERTH_BIN = join(REPO_ROOT, 'dist/cli/bin.cjs');

export interface BerthResult {
  readonly stdout: string;
  /** stdout exactly as written, for byte-for-byte comparisons. */
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
  /** berth's exit status; -1 when it could not start, was killed or timed out. */
  readonly exitCode: number;
}

export interface BerthOptions {
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to stdin; stdin is empty otherwise. */
  readonly input?: string | Uint8Array;
  readonly cwd?: string;
  /** Default 120 s; berth is killed after it. */
  readonly timeoutMs?: number;
}

/** Runs `berth ARGS` from dist/ (build it first with `npm run build`); never throws for a failure. */
export async function berth(args: readonly string[], options: BerthOptions = {}): Promise<BerthResult> {
  if (!existsSync(BERTH_BIN)) {
    throw new Error(`${BERTH_BIN} does not exist: run npm run build before the integration tests`);
  }
  const result = await execa(process.execPath, [BERTH_BIN, ...args], {
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    env: { ...options.env },
    timeout: options.timeoutMs ?? 120_000,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const stdoutBytes = Buffer.from(result.stdout);
  const stderr = Buffer.from(result.stderr).toString('utf8');
  if (result.timedOut || result.exitCode === undefined) {
    return { stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: `${stderr}\n${result.shortMessage}`, exitCode: -1 };
  }
  return { stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr, exitCode: result.exitCode };
}

/** A node stack frame, as printed by an uncaught error: berth must never show one for user mistakes. */
export const STACK_FRAME = /^\s+at .+(\(|:\d+:\d+)/m;

/** A `docker` first on PATH that appends its arguments to a log and exits with a fixed status. */
export interface FakeDocker {
  /** Give this to `berth` so that it finds the fake instead of the real CLI. */
  readonly env: Readonly<Record<string, string>>;
  /** Every call so far, each as its argument list. */
  readonly calls: () => Promise<string[][]>;
  readonly remove: () => Promise<void>;
}

/** Puts a fake `docker` in a temporary folder; call `remove()` when done. */
export async function fakeDocker(exitCode = 0): Promise<FakeDocker> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-fake-docker-'));
  const log = join(dir, 'calls.jsonl');
  const script = [
    `#!${process.execPath}`,
    `require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');`,
    `process.exit(${exitCode});`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'docker'), script, { mode: 0o755 });
  return {
    // BERTH_ENGINE_API=0: berth asks the fake, not the daemon's socket, even for what that could answer.
    env: { PATH: `${dir}:${process.env['PATH'] ?? ''}`, BERTH_ENGINE_API: '0' },
    calls: async () => {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as string[]);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
