import { setTimeout as sleep } from 'node:timers/promises';
import { RUN_SCHEMA_LABEL } from '../../core/containers/run-labels.js';
import type { Finding } from '../../core/containers/reconcile-plan.js';
import { isBerthError } from '../../core/errors.js';
import { selectEngine, type Engine } from '../../edge/engine.js';
import { followContainerStarts } from '../../edge/events.js';
import { traceCommandsTo } from '../../edge/trace.js';
import { hostConfigPath, readHostConfig } from '../../edge/host-file.js';
import { reconcileHost } from '../../run/reconcile.js';
import { say, type Output } from '../output.js';

export interface ReconcileCommandOptions {
  readonly hostConfig?: string;
  readonly dryRun?: boolean;
  readonly watch?: boolean;
  readonly engine?: string;
  readonly verbose?: boolean;
}

/** A burst of starts (a reboot) is handled in one pass. */
const SETTLE_MS = 300;
/** How long to wait before following the engine again after its event stream ended. */
const RECONNECT_MS = 2_000;

/** `berth reconcile`: puts back what the berth containers need from the host, and says what it cannot. */
export async function reconcileCommand(options: ReconcileCommandOptions, output: Output): Promise<number> {
  if (options.verbose) traceCommandsTo((line) => say(output, line));
  const engine = selectEngine(options.engine);
  const hostFile = hostConfigPath(options.hostConfig);
  if (options.watch) return watch(engine, hostFile, options, output);
  return once(engine, hostFile, options.dryRun === true, output);
}

async function once(engine: Engine, hostFile: string, dryRun: boolean, output: Output): Promise<number> {
  const host = await readHostConfig(hostFile);
  const outcome = await reconcileHost(engine, hostFile, host, { dryRun, change: (line) => output.stdout(`${line}\n`) });
  for (const finding of outcome.unfixed) report(finding, output);
  if (outcome.changes === 0 && outcome.unfixed.length === 0) output.stdout('in line: nothing to change\n');
  return outcome.unfixed.length === 0 ? 0 : 1;
}

function report(finding: Finding, output: Output): void {
  say(output, `${finding.container === undefined ? '' : `${finding.container}: `}${finding.problem}\n  fix: ${finding.fix}`);
}

// Runs a pass now and after every berth container start, until SIGINT or SIGTERM; a failed pass is reported and watching goes on.
async function watch(engine: Engine, hostFile: string, options: ReconcileCommandOptions, output: Output): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let running: Promise<void> | undefined;
  let again = false;
  const pass = async (): Promise<void> => {
    try {
      await once(engine, hostFile, options.dryRun === true, output);
    } catch (caught) {
      if (!isBerthError(caught)) throw caught;
      say(output, caught.message);
    }
  };
  const schedule = () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await sleep(SETTLE_MS);
        await pass();
      } while (again && !stop.signal.aborted);
      running = undefined;
    })();
  };
  try {
    while (!stop.signal.aborted) {
      // A pass on every (re)connection: starts missed while not following are caught up.
      const followed = followContainerStarts(engine, RUN_SCHEMA_LABEL, schedule, stop.signal);
      schedule();
      await followed;
      if (stop.signal.aborted) break;
      say(output, `the ${engine.name} event stream ended; following it again in ${RECONNECT_MS / 1000} s`);
      await sleep(RECONNECT_MS, undefined, { signal: stop.signal }).catch(() => undefined);
    }
    await running;
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
