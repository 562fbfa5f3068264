import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { BerthError } from '../core/errors.js';
import { askEngineApi } from './engine-api.js';

export type EngineName = 'docker' | 'podman';

/** The container engine CLI berth drives; its CLI does the talking, so DOCKER_HOST and contexts apply. */
export interface Engine {
  readonly name: EngineName;
  readonly command: string;
}

/** `--engine`, else `$BERTH_ENGINE`, else docker. */
export function selectEngine(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Engine {
  const wanted = option ?? (env['BERTH_ENGINE'] || 'docker');
  if (wanted !== 'docker' && wanted !== 'podman') {
    throw new BerthError(`unknown engine "${wanted}": use docker or podman (--engine or BERTH_ENGINE)`, { code: 'cli.unknown-engine' });
  }
  return { name: wanted, command: wanted };
}

export interface EngineResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Spawned with node:child_process, not execa: loading execa took ~70 ms, most of berth build's
// start-up, against a budget of 100 ms over docker build (DESIGN §8).

/**
 * Runs the engine CLI and captures its output; never throws for a non-zero exit. A query the
 * Engine API answers exactly as the CLI would is asked over the daemon's local socket instead
 * (see engine-api.ts), and one started early by `startEngineCalls` is not asked twice.
 */
export async function engineCall(engine: Engine, args: readonly string[], input?: string): Promise<EngineResult> {
  const answered = input === undefined ? await (takeStarted(engine, args) ?? askEngineApi(engine, args)) : undefined;
  if (answered !== undefined) return answered;
  const child = spawn(engine.command, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A CLI that exits without reading its input is answered by its exit status, not by EPIPE.
  child.stdin?.on('error', () => undefined).end(input);
  const { code } = await ended(engine, child);
  return { exitCode: code ?? 1, stdout, stderr };
}

const started = new Map<string, Promise<EngineResult>>();

/**
 * Starts engine queries before the code that needs them has loaded; the first `engineCall` with
 * the same arguments takes its answer, any later one asks again.
 */
export function startEngineCalls(engine: Engine, queries: readonly (readonly string[])[]): void {
  for (const args of queries) {
    const call = engineCall(engine, args);
    call.catch(() => undefined);
    started.set(startedKey(engine, args), call);
  }
}

function takeStarted(engine: Engine, args: readonly string[]): Promise<EngineResult> | undefined {
  const key = startedKey(engine, args);
  const call = started.get(key);
  started.delete(key);
  return call;
}

function startedKey(engine: Engine, args: readonly string[]): string {
  return JSON.stringify([engine.command, ...args]);
}

// Signals berth passes on to the engine CLI it waits for, as docker run passes them to the container.
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** How `engineAttached` passes on a signal berth receives; by default, to the engine CLI itself. */
export interface AttachedOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** `delivered`: a Ctrl-C at the terminal, which the engine CLI has received itself. */
  readonly onSignal?: (signal: NodeJS.Signals, delivered: boolean) => void;
}

/**
 * Runs the engine CLI with the terminal attached (output streamed), passing on signals sent to
 * berth, and returns its exit status. A Ctrl-C at a terminal reaches both processes already, so
 * SIGINT is only passed on when stdin is not a terminal.
 */
export async function engineAttached(engine: Engine, args: readonly string[], options: AttachedOptions = {}): Promise<number> {
  const { env, onSignal } = options;
  const child = spawn(engine.command, args, { stdio: 'inherit', ...(env ? { env: { ...process.env, ...env } } : {}) });
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => {
      const delivered = signal === 'SIGINT' && process.stdin.isTTY === true;
      if (onSignal) onSignal(signal, delivered);
      else if (!delivered) child.kill(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  try {
    const { code, signal } = await ended(engine, child);
    if (signal !== null && code === null) return 128 + signalNumber(signal);
    return code ?? 1;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}

// Resolves once the CLI has exited and its output is read; a CLI that cannot be started is named.
function ended(engine: Engine, child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.once('error', (cause) => {
      if (child.pid === undefined) reject(notFound(engine, cause.message));
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

const UNREACHABLE = /Cannot connect to the Docker daemon|error during connect|Is the docker daemon running|connection refused|unable to connect to Podman/i;

/** True when the engine CLI says it cannot reach its daemon. */
export function isUnreachable(result: EngineResult): boolean {
  return result.exitCode !== 0 && UNREACHABLE.test(result.stderr);
}

/** The error for an engine that did not answer, with the engine's own words. */
export function unreachable(engine: Engine, result: EngineResult, exitCode?: number): BerthError {
  const detail = lastLine(result.stderr);
  return new BerthError(
    `cannot reach the ${engine.name} engine: ${detail} (start it, or point DOCKER_HOST / the ${engine.name} context at a running one)`,
    { code: 'engine.unreachable', ...(exitCode === undefined ? {} : { exitCode }) },
  );
}

export function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}

function notFound(engine: Engine, detail: string): BerthError {
  return new BerthError(`cannot run the ${engine.name} CLI (${detail}); install it or put it on PATH`, {
    code: 'engine.missing',
  });
}

function signalNumber(signal: string): number {
  return constants.signals[signal as NodeJS.Signals] ?? 1;
}
