import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { BerthError } from '../core/errors.js';
import { traceCommand } from './trace.js';
import { printable } from '../core/printable.js';
import { apiQuery, askEngineApi } from './engine-api.js';

// Characters of an engine message berth quotes.
const ENGINE_LINE_MAX = 300;

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
// start-up, against a budget of 100 ms over docker build (README, "Performance").

/**
 * Runs the engine CLI and captures its output; never throws for a non-zero exit. A query the
 * Engine API answers exactly as the CLI would is asked over the daemon's local socket instead
 * (see engine-api.ts), and one started early by `startEngineCalls` is not asked twice.
 */
export async function engineCall(engine: Engine, args: readonly string[], input?: string): Promise<EngineResult> {
  traceCommand([engine.command, ...args]);
  const query = input === undefined && apiQuery(engine, args) !== undefined;
  if (!query) started.clear();
  const answered = query ? await (takeStarted(engine, args) ?? askEngineApi(engine, args)) : undefined;
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
 * Starts engine queries (those `apiQuery` knows) before the code that needs them has loaded; the
 * first `engineCall` with the same arguments takes its answer, any later one asks again. Answers
 * not taken are dropped as soon as berth runs any other engine command: from then on they may be
 * out of date.
 */
export function startEngineCalls(engine: Engine, queries: readonly (readonly string[])[]): void {
  for (const args of queries.filter((query) => apiQuery(engine, query) !== undefined)) {
    const call = engineCall(engine, args);
    call.catch(() => undefined);
    started.set(startedKey(engine, args), call);
  }
}

/**
 * Resolves after one turn of the event loop. A query over the engine's socket goes out only once
 * its connection is made, which the loop reports: berth lets that happen before synchronous work
 * (reading the host file, writing the plain Dockerfile) that the engine can answer during.
 */
export function letQueriesGo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
  traceCommand([engine.command, ...args]);
  started.clear();
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
      if (child.pid === undefined) reject(notFound(engine, cause));
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * What an engine CLI prints when it cannot reach its daemon. Its exit status is the same as for
 * any other failure (docker 1, podman 125), so this is the one decision berth takes from engine
 * wording; every known variant is here, with where it comes from, and each is tested.
 */
export const UNREACHABLE_WORDINGS: readonly { readonly engine: EngineName; readonly from: string; readonly text: string }[] = [
  { engine: 'docker', from: 'docker CLI 20.10 and 28.x, unix socket or tcp:// daemon down', text: 'Cannot connect to the Docker daemon' },
  { engine: 'docker', from: 'docker CLI 20.10 and 28.x, tcp:// host unknown, ssh:// host refusing', text: 'error during connect' },
  { engine: 'podman', from: 'podman 4.3.1 --remote, socket missing or refusing', text: 'unable to connect to Podman' },
  { engine: 'podman', from: 'podman 4.3.1 --remote, first line of the same message', text: 'Cannot connect to Podman' },
];

/** True when the engine CLI failed saying it cannot reach its daemon. */
export function isUnreachable(result: EngineResult): boolean {
  if (result.exitCode === 0) return false;
  const said = result.stderr.toLowerCase();
  return UNREACHABLE_WORDINGS.some(({ text }) => said.includes(text.toLowerCase()));
}

/** The error for an engine that did not answer, with the engine's own words. */
export function unreachable(engine: Engine, result: EngineResult): BerthError {
  const detail = lastLine(result.stderr);
  return new BerthError(
    `cannot reach the ${engine.name} engine: ${detail} (start it, or point DOCKER_HOST / the ${engine.name} context at a running one)`,
    { code: 'engine.unreachable' },
  );
}

/** The error for an engine call that failed: unreachable when the engine says so, else `what` with its last words. */
export function engineFailure(engine: Engine, result: EngineResult, what: string, code: string): BerthError {
  if (isUnreachable(result)) return unreachable(engine, result);
  return new BerthError(`${what}: ${lastLine(result.stderr) || `exit status ${result.exitCode}`}`, { code });
}

/** Asks the engine server for its version after a failed call: its exit status tells "not there" from "no answer". */
export async function engineAnswers(engine: Engine): Promise<EngineResult> {
  return engineCall(engine, serverVersionArgs(engine));
}

/** The arguments that print the engine server's version and fail when the server does not answer. */
export function serverVersionArgs(engine: Engine): string[] {
  return engine.name === 'podman' ? ['info', '--format', '{{.Version.Version}}'] : ['version', '--format', '{{.Server.Version}}'];
}

/** The engine's last line of output, printable: it may quote an image's own text. */
export function lastLine(text: string): string {
  return printable(text.trim().split('\n').at(-1)?.trim() ?? '', ENGINE_LINE_MAX);
}

function notFound(engine: Engine, cause: Error): BerthError {
  return new BerthError(`cannot run the ${engine.name} CLI (${cause.message}); install it or put it on PATH`, {
    code: 'engine.missing',
    cause,
  });
}

function signalNumber(signal: string): number {
  return constants.signals[signal as NodeJS.Signals] ?? 1;
}
