import { isName } from '../core/needs/grammar.js';
import { fileProblem } from './errno.js';
import { traceCommand } from './trace.js';
import { printable, printableLines } from '../core/printable.js';

/** The only PATH a provider sees: system directories, never the caller's. */
export const PROVIDER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Bytes of stdout kept; a provider that prints more fails. */
export const PROVIDER_STDOUT_CAP = 64 * 1024;
/** Bytes of stderr kept: the last ones. */
export const PROVIDER_STDERR_CAP = 64 * 1024;
/** Lines of stderr a failure message quotes. */
export const PROVIDER_TAIL_LINES = 10;
/** Between SIGTERM and SIGKILL for a provider that ran out of time or printed too much. */
export const KILL_GRACE_MS = 2_000;
/** Between SIGTERM and SIGKILL when berth itself is interrupted: the user is waiting. */
const INTERRUPT_GRACE_MS = 500;
/** Signals that end berth; a provider's process group is ended first. */
const INTERRUPTS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface ProviderRun {
  /** The host file's argv; `KIND NAME` is appended. */
  readonly argv: readonly string[];
  readonly kind: string;
  readonly name: string;
  readonly hostConfigPath: string;
  readonly timeoutSeconds: number;
}

export type ProviderOutcome =
  | { readonly ok: true; readonly stdout: string }
  | {
      readonly ok: false;
      /** What was run, `KIND NAME` included. */
      readonly argv: readonly string[];
      readonly exitCode?: number;
      readonly signal?: string;
      readonly timedOut: boolean;
      /** The last lines of its stderr, made printable. */
      readonly stderrTail: string;
      /** What went wrong, e.g. `exited with status 3`, `timed out after 60s`. */
      readonly reason: string;
    };

export type ProviderFailure = Extract<ProviderOutcome, { ok: false }>;

/**
 * Runs a host provider (README, "Providers"): the argv as given (never a shell) plus `KIND NAME`, with
 * a fixed environment, no stdin, capped output and a timeout that ends its whole process group.
 */
export async function runProvider(run: ProviderRun): Promise<ProviderOutcome> {
  const argv = [...run.argv, run.kind, run.name];
  const refused = refusal(run);
  if (refused !== undefined) return failure(argv, { reason: refused });
  const [file = '', ...args] = argv;
  // Loaded here, not at start-up: most runs start no provider, and execa takes ~70 ms to load.
  const { execa } = await import('execa');
  traceCommand(argv);
  const subprocess = execa(file, args, {
    shell: false,
    extendEnv: false,
    env: { PATH: PROVIDER_PATH, BERTH_KIND: run.kind, BERTH_NAME: run.name, BERTH_HOST_CONFIG: run.hostConfigPath },
    stdin: 'ignore',
    cwd: '/',
    detached: true,
    buffer: false,
    reject: false,
  });
  const stdout = new HeadBuffer(PROVIDER_STDOUT_CAP);
  const stderr = new TailBuffer(PROVIDER_STDERR_CAP);
  let stop: 'timeout' | 'flood' | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const killGroup = (signal: NodeJS.Signals) => {
    if (subprocess.pid === undefined) return;
    try {
      process.kill(-subprocess.pid, signal);
    } catch {
      // already gone
    }
  };
  const terminate = (why: 'timeout' | 'flood') => {
    stop ??= why;
    killGroup('SIGTERM');
    graceTimer ??= setTimeout(() => {
      killGroup('SIGKILL');
      // A process that left the group may still hold the pipes: stop waiting for them.
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    }, KILL_GRACE_MS);
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  // The provider runs in its own process group, so Ctrl-C at the terminal does not reach it: end
  // the group, then let the signal end berth as it would have, so the caller sees its status.
  let interrupted = false;
  const onInterrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    killGroup('SIGTERM');
    const exited = new Promise((done) => subprocess.once('exit', done));
    void Promise.race([exited, new Promise((done) => setTimeout(done, INTERRUPT_GRACE_MS))]).then(() => {
      killGroup('SIGKILL');
      for (const name of INTERRUPTS) process.removeListener(name, onInterrupt);
      process.kill(process.pid, signal);
    });
  };
  for (const name of INTERRUPTS) process.on(name, onInterrupt);
  const timer = setTimeout(() => terminate('timeout'), run.timeoutSeconds * 1000);
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    if (!stdout.add(chunk)) terminate('flood');
  });
  subprocess.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));
  const result = await subprocess;
  clearTimeout(timer);
  clearTimeout(graceTimer);
  process.removeListener('exit', onExit);
  if (interrupted) await new Promise(() => undefined);
  for (const name of INTERRUPTS) process.removeListener(name, onInterrupt);
  if (stop !== undefined) killGroup('SIGKILL');

  const stderrTail = tailLines(stderr.text(), PROVIDER_TAIL_LINES);
  const status = {
    ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
    ...(result.signal === undefined ? {} : { signal: result.signal }),
    stderrTail,
  };
  if (stop === 'timeout') return failure(argv, { ...status, timedOut: true, reason: `timed out after ${Number(run.timeoutSeconds.toFixed(1))}s` });
  if (stop === 'flood') return failure(argv, { ...status, reason: `printed more than ${PROVIDER_STDOUT_CAP / 1024} KiB on stdout` });
  if (result.exitCode === undefined && result.signal === undefined) {
    return failure(argv, { ...status, reason: `could not be started (${spawnReason(result.code, result.originalMessage)})` });
  }
  if (result.signal !== undefined) return failure(argv, { ...status, reason: `was killed by ${result.signal}` });
  if (result.exitCode !== 0) return failure(argv, { ...status, reason: `exited with status ${result.exitCode}` });
  return { ok: true, stdout: stdout.text() };
}

/** The message for an unmet need whose provider failed: its argv, what happened, and the end of its stderr. */
export function describeProviderFailure(outcome: ProviderFailure): string {
  const head = `provider ${outcome.argv.map(quote).join(' ')} ${outcome.reason}`;
  if (outcome.stderrTail === '') return `${head} (it wrote nothing to stderr)`;
  return `${head}; its stderr ended with:\n${outcome.stderrTail.split('\n').map((line) => `  ${line}`).join('\n')}`;
}

export type ProviderJson =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/** Reads what a `providers.KIND` provider printed: exactly one JSON object, which the caller validates like the host file. */
export function parseProviderJson(stdout: string): ProviderJson {
  if (Buffer.byteLength(stdout) > PROVIDER_STDOUT_CAP) {
    return { ok: false, reason: `printed more than ${PROVIDER_STDOUT_CAP / 1024} KiB` };
  }
  const text = stdout.trim();
  if (text === '') return { ok: false, reason: 'printed nothing (expected one JSON object)' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `printed something other than one JSON object: ${preview(text)}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `printed JSON that is not an object: ${preview(text)}` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function refusal(run: ProviderRun): string | undefined {
  if (run.argv.length === 0 || run.argv[0] === '') return 'has an empty argv';
  if (!/^[a-z]+$/.test(run.kind)) return `was not run: "${printable(run.kind)}" is not a need kind`;
  if (!isName(run.name)) return `was not run: "${printable(run.name)}" is not a valid name`;
  if (!Number.isFinite(run.timeoutSeconds) || run.timeoutSeconds <= 0) {
    return `was not run: its timeout (${run.timeoutSeconds}) must be a positive number of seconds`;
  }
  return undefined;
}

function failure(
  argv: readonly string[],
  details: { reason: string; timedOut?: boolean; exitCode?: number; signal?: string; stderrTail?: string },
): ProviderFailure {
  return { ok: false, argv, timedOut: false, stderrTail: '', ...details };
}

function spawnReason(code: string | undefined, message: string | undefined): string {
  const { failure, read } = fileProblem({ code, message: message ?? code ?? 'unknown error' });
  return failure === 'denied' ? `${read}: is it executable?` : read;
}

/** Keeps the first `cap` bytes; `add` says false once more arrived. */
class HeadBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly cap: number) {}

  add(chunk: Buffer): boolean {
    const room = this.cap - this.size;
    if (room > 0) this.chunks.push(chunk.subarray(0, room));
    this.size += chunk.length;
    return this.size <= this.cap;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Keeps the last `cap` bytes. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly cap: number) {}

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - (this.chunks[0]?.length ?? 0) >= this.cap) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).subarray(-this.cap).toString('utf8');
  }
}

function tailLines(text: string, count: number): string {
  const lines = printableLines(text).split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.slice(-count).join('\n');
}


function quote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${printable(arg, 200).replaceAll("'", "'\\''")}'`;
}

function preview(text: string): string {
  return printable(text.replace(/\s+/g, ' '), 60);
}
