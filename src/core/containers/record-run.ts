import type { HostConfig } from '../host/host-config.js';
import { kindOf } from '../needs/kinds/index.js';
import { needId, needName, type Need } from '../needs/need.js';
import type { RunPlan } from '../plan/resolution.js';
import type { Held, RunRecord } from './run-labels.js';

/**
 * What each need of a container holds once the plan is carried out: the host entry that met it
 * (through `bindings`, by need id, when `--bind` named another) and what that entry gave it. A
 * need the user's own options overrode holds nothing and is left out.
 */
export function recordRun(
  hostFile: string,
  needs: readonly Need[],
  host: HostConfig,
  plan: RunPlan,
  bindings: ReadonlyMap<string, string> = new Map(),
): RunRecord {
  const held: Held[] = [];
  for (const need of needs) {
    const hostName = bindings.get(needId(need)) ?? needName(need);
    const found = kindOf(need).held.record(need, hostName, host, plan);
    if (found) held.push(found);
  }
  return { hostFile, held };
}
