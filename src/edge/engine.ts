import { constants } from 'node:os';
import { execa } from 'execa';
import { BerthError } from '../core/errors.js';

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

/** Runs the engine CLI and captures its output; never throws for a non-zero exit. */
export async function engineCall(engine: Engine, args: readonly string[], input?: string): Promise<EngineResult> {
  try {
    const result = await execa(engine.command, args, {
      reject: false,
      stripFinalNewline: false,
      ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    });
    if (result.failed && result.exitCode === undefined) throw notFound(engine, result.originalMessage ?? result.message ?? "");
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
  } catch (cause) {
    if (cause instanceof BerthError) throw cause;
    throw notFound(engine, cause instanceof Error ? cause.message : String(cause));
  }
}

// Signals berth passes on to the engine CLI it waits for, as docker run passes them to the container.
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Runs the engine CLI with the terminal attached (output streamed), passing on signals sent to
 * berth, and returns its exit status. A Ctrl-C at a terminal reaches both processes already, so
 * SIGINT is only passed on when stdin is not a terminal.
 */
export async function engineAttached(engine: Engine, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const child = execa(engine.command, args, { reject: false, stdio: 'inherit', ...(env ? { env } : {}) });
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => {
      if (signal === 'SIGINT' && process.stdin.isTTY) return;
      child.kill(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  try {
    const result = await child;
    if (result.failed && result.exitCode === undefined && result.signal === undefined) {
      throw notFound(engine, result.originalMessage ?? result.message ?? '');
    }
    if (result.signal !== undefined && result.exitCode === undefined) return 128 + signalNumber(result.signal);
    return result.exitCode ?? 1;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
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
