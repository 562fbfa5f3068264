// Where the time of one `berth run` goes: exec, the first engine query, the answers, `docker run`
// starting. The command talks to the engine through a listener that passes every connection on
// to the daemon's socket and notes when each request went out and when its answer came back, and
// finds a `docker` first on PATH that notes when it started before it runs the real one.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DOCKER_SOCKET } from '../../src/edge/engine-api.js';
import { table } from '../../src/core/needs/describe.js';
import type { Command } from './measure.js';
import { realDocker } from './outside-docker.js';

const RUNS = 7;

interface Exchange {
  readonly request: string;
  readonly sentMs: number;
  answeredMs?: number;
}

interface Timeline {
  readonly exchanges: readonly Exchange[];
  /** When the CLI was started for each call, by its first argument. */
  readonly cliCalls: readonly { readonly atMs: number; readonly what: string }[];
  readonly exitMs: number;
}

/** Milliseconds since the epoch, on the clock the `docker` stand-in writes. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Runs each command `RUNS` times through the listener and the `docker` stand-in, and describes the
 * run of median length of each: one line per event, in milliseconds after exec.
 */
export async function timelines(commands: readonly { readonly name: string; readonly command: Command }[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-bench-timeline-'));
  try {
    const socket = join(dir, 'engine.sock');
    const log = join(dir, 'docker-calls.log');
    await writeFile(join(dir, 'docker'), `#!/bin/bash\necho "$EPOCHREALTIME $1" >> ${log}\nexec ${realDocker()} "$@"\n`, { mode: 0o755 });
    let current: Exchange[] = [];
    const server = createServer((client) => {
      const upstream = connect(DOCKER_SOCKET);
      const exchanges = current;
      let exchange: Exchange | undefined;
      client.once('data', (chunk: Buffer) => {
        exchange = { request: chunk.toString('latin1').split('\r\n')[0]?.replace(/ HTTP\/1\.[01]$/, '') ?? '', sentMs: now() };
        exchanges.push(exchange);
      });
      upstream.once('data', () => {
        if (exchange) exchange.answeredMs = now();
      });
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const lines: string[] = [];
      for (const { name, command } of commands) {
        const runs: Timeline[] = [];
        for (let round = 0; round < RUNS; round += 1) {
          current = [];
          await rm(log, { force: true });
          const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, PATH: `${dir}${delimiter}${process.env['PATH'] ?? ''}` };
          const started = now();
          await runQuietly(command, env);
          const exitMs = now() - started;
          const cliCalls = (await readFile(log, 'utf8').catch(() => '')).split('\n').flatMap((line) => {
            const [at, what = ''] = line.split(' ');
            return at ? [{ atMs: Number(at.replace(',', '.')) * 1000 - started, what }] : [];
          });
          const exchanges = current.map((e) => ({ ...e, sentMs: e.sentMs - started, ...(e.answeredMs === undefined ? {} : { answeredMs: e.answeredMs - started }) }));
          runs.push({ exchanges, cliCalls, exitMs });
        }
        const typical = [...runs].sort((a, b) => a.exitMs - b.exitMs)[Math.floor(runs.length / 2)];
        if (typical) lines.push(`${name} (the run of median length of ${RUNS}):`, ...describe(typical), '');
      }
      return lines;
    } finally {
      server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function describe(run: Timeline): string[] {
  const start = run.cliCalls.find((call) => call.what === 'run' || call.what === 'create');
  const before = run.exchanges.filter((e) => start === undefined || e.sentMs < start.atMs);
  const answered = Math.max(...before.map((e) => e.answeredMs ?? Number.NaN));
  const rows = [['AFTER EXEC', 'EVENT']];
  const row = (ms: number | undefined, event: string) => rows.push([ms === undefined || Number.isNaN(ms) ? '-' : `${ms.toFixed(1)} ms`, event]);
  row(0, 'exec');
  row(before[0]?.sentMs, 'first engine query sent');
  row(before.length === 0 ? undefined : answered, `engine queries answered (${before.length}: ${before.map((e) => e.request).join(', ')})`);
  for (const call of run.cliCalls.filter((c) => c !== start && (start === undefined || c.atMs < start.atMs))) row(call.atMs, `docker ${call.what} CLI started`);
  row(start?.atMs, `docker ${start?.what ?? 'run'} started`);
  row(run.exitMs, 'exit');
  return table(rows).split('\n').map((line) => `  ${line}`);
}

function runQuietly(command: Command, env: NodeJS.ProcessEnv): Promise<void> {
  const [file, ...args] = command.argv;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command.argv.join(' ')} exited ${code}: ${stderr.trim()}`))));
  });
}
