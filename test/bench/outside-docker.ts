// The time a command spends outside the docker CLI it runs: its whole time less the time its
// `docker run` (or `docker build`) call took, read from a `docker` first on PATH that notes when each call started and
// ended. `docker run` varies by tens of milliseconds from one run to the next (the container's
// own start), which hides a difference of a few milliseconds between two wrappers of it in any
// affordable number of runs; the time outside it does not vary so, and the difference of the two
// wrappers' medians is the same difference, without the noise.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { inTurns, median, timeCommand, type Command } from './measure.js';

export interface OutsideDocker {
  /** Median of the whole command's time. */
  readonly wholeMs: number;
  /** Median of the time outside its `docker VERB` call. */
  readonly outsideMs: number;
}

/**
 * Runs the commands in turns `runs` times, as `timeCommands` does, with the noting `docker` on
 * PATH, and takes the time of their `docker VERB` calls out; the same `docker` stand-in costs
 * each command the same.
 */
export async function timeOutsideDocker(commands: readonly Command[], runs: number, verb: 'run' | 'build'): Promise<OutsideDocker[]> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-bench-docker-'));
  try {
    const log = join(dir, 'calls.log');
    const real = realDocker();
    await writeFile(join(dir, 'docker'), [
      '#!/bin/bash',
      'start=$EPOCHREALTIME',
      `${real} "$@"`,
      'status=$?',
      `echo "$1 $start $EPOCHREALTIME" >> ${log}`,
      'exit $status',
      '',
    ].join('\n'), { mode: 0o755 });
    const env = { ...process.env, PATH: `${dir}${delimiter}${process.env['PATH'] ?? ''}` };
    const once = async (command: Command) => {
      await rm(log, { force: true });
      const wholeMs = await timeCommand({ ...command, env });
      const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
      // Only the call both programs make; any other docker call is the program's own time.
      const dockerMs = calls.reduce((sum, line) => {
        const [called, start = '', end = ''] = line.split(' ');
        return called === verb ? sum + (seconds(end) - seconds(start)) * 1000 : sum;
      }, 0);
      return { wholeMs, outsideMs: wholeMs - dockerMs };
    };
    const samples = await inTurns(commands, runs, once);
    return samples.map((taken) => ({ wholeMs: median(taken.map((s) => s.wholeMs)), outsideMs: median(taken.map((s) => s.outsideMs)) }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// bash prints EPOCHREALTIME with the locale's decimal separator.
function seconds(text: string): number {
  return Number(text.replace(',', '.'));
}

/** The docker CLI the wrapper runs: the first on PATH. */
export function realDocker(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const path = join(dir, 'docker');
    if (dir !== '' && existsSync(path)) return path;
  }
  throw new Error('no docker on PATH');
}
