// Timing for the benchmark: medians of warm in-process calls and of whole commands.
import { spawn } from 'node:child_process';

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** Median milliseconds of `body` over `iterations` calls, after `warmup` calls that are not counted. */
export function timeCalls(body: () => unknown, options: { readonly warmup: number; readonly iterations: number }): number {
  for (let i = 0; i < options.warmup; i += 1) body();
  const samples: number[] = [];
  for (let i = 0; i < options.iterations; i += 1) {
    const start = performance.now();
    body();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** A command line to time, run without a shell; it must exit 0. */
export interface Command {
  readonly argv: readonly [string, ...string[]];
  readonly cwd?: string;
  /** The whole environment, instead of this process's. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Milliseconds from spawning `command` until it exits; throws with its stderr if it fails. */
export function timeCommand(command: Command): Promise<number> {
  const [file, ...args] = command.argv;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(command.cwd === undefined ? {} : { cwd: command.cwd }),
      ...(command.env === undefined ? {} : { env: command.env }),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const elapsed = performance.now() - start;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${command.argv.join(' ')} exited ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

/**
 * Median milliseconds of each command over `runs` rounds, after one round that is not counted.
 * The commands take turns, in reverse order every other round, so that a machine growing busier
 * or quieter weighs on all alike.
 */
export async function timeCommands(commands: readonly Command[], runs: number): Promise<number[]> {
  return (await inTurns(commands, runs, timeCommand)).map(median);
}

/** What `measure` gives for each command over `runs` rounds taken in turns, as `timeCommands` takes them. */
export async function inTurns<T>(commands: readonly Command[], runs: number, measure: (command: Command) => Promise<T>): Promise<T[][]> {
  for (const command of commands) await measure(command);
  const samples = commands.map((): T[] => []);
  for (let round = 0; round < runs; round += 1) {
    const order = [...commands.keys()];
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const command = commands[index];
      if (command !== undefined) samples[index]?.push(await measure(command));
    }
  }
  return samples;
}
