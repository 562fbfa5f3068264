import type { ContainerView } from '../core/containers/container-view.js';
import { planReconcile, type Finding, type ReconcileAction, type ReconcilePlan } from '../core/containers/reconcile-plan.js';
import { isBerthError } from '../core/errors.js';
import type { HostConfig } from '../core/host/host-config.js';
import type { Engine } from '../edge/engine.js';
import { addNdpProxy, proxyNdpEnabled, removeNdpProxy } from '../edge/ndp.js';
import { createNetwork } from '../edge/networks.js';
import { inspectDirectory } from '../edge/paths.js';
import { describeProviderFailure, runProvider } from '../edge/provider.js';
import { volumeExists } from '../edge/volumes.js';
import { observeBerthContainers, observeHostState } from './berth-containers.js';
import { networkSpec } from '../core/plan/docker-argv.js';

export interface ReconcileOptions {
  readonly dryRun: boolean;
  /** Called with each change as it is made (or, in a dry run, would be). */
  readonly change: (line: string) => void;
}

export interface ReconcileOutcome {
  /** Changes made (or, in a dry run, that would be made). */
  readonly changes: number;
  /** What is out of line and stays so: drift, untrusted labels, changes that failed. */
  readonly unfixed: readonly Finding[];
}

/**
 * Brings the host back in line with the berth containers that exist: what `berth reconcile`
 * does once, and `--watch` again whenever a berth container starts. Safe to repeat: a second
 * run finds nothing to change.
 */
export async function reconcileHost(engine: Engine, hostFile: string, host: HostConfig, options: ReconcileOptions): Promise<ReconcileOutcome> {
  const { plan } = await planHost(engine, hostFile, host);
  const unfixed: Finding[] = [...plan.findings];
  let changes = 0;
  for (const action of plan.actions) {
    const failure = options.dryRun ? undefined : await apply(engine, host, hostFile, action);
    if (failure) unfixed.push(failure);
    else {
      changes++;
      options.change(`${options.dryRun ? 'would ' : ''}${describe(action, options.dryRun)}`);
    }
  }
  return { changes, unfixed };
}

/** Looks at the berth containers and the host, and decides what reconcile would change: also what `berth doctor` reports. */
export async function planHost(engine: Engine, hostFile: string, host: HostConfig): Promise<{ readonly views: readonly ContainerView[]; readonly plan: ReconcilePlan }> {
  const { views, everyone, proxies } = await observeBerthContainers(engine, hostFile, host, { all: true, everyone: true });
  const state = await observeHostState(engine, host, proxies);
  return { views, plan: planReconcile(views, everyone, host, state) };
}

/** A change for people: `added NDP proxy entry 2001:db8::20 on eth0 (for web)`. */
export function describe(action: ReconcileAction, future: boolean): string {
  const forWhom = 'for' in action ? ` (for ${action.for.join(', ')})` : '';
  switch (action.type) {
    case 'create-network':
      return `${future ? 'create' : 'created'} network ${action.network}${forWhom}`;
    case 'provide-volume':
      return `${future ? 'run' : 'ran'} the provider of volume ${action.volume}${forWhom}`;
    case 'add-proxy':
      return `${future ? 'add' : 'added'} NDP proxy entry ${action.address} on ${action.iface}${forWhom}`;
    case 'remove-proxy':
      return `${future ? 'remove' : 'removed'} NDP proxy entry ${action.address} on ${action.iface} (no container holds it)`;
  }
}

// Carries out one change; what went wrong is returned as a finding, so that the other changes still happen.
async function apply(engine: Engine, host: HostConfig, hostFile: string, action: ReconcileAction): Promise<Finding | undefined> {
  try {
    switch (action.type) {
      case 'create-network': {
        const network = host.networks.get(action.network);
        if (network) await createNetwork(engine, networkSpec(network));
        return undefined;
      }
      case 'provide-volume':
        return await provide(engine, host, hostFile, action.volume);
      case 'add-proxy':
        if ((await proxyNdpEnabled(action.iface)) !== true) {
          return { type: 'failed', problem: `cannot restore the NDP proxy entry for ${action.address}: net.ipv6.conf.${action.iface}.proxy_ndp is 0 (or ${action.iface} has no IPv6)`, fix: `sysctl -w net.ipv6.conf.${action.iface}.proxy_ndp=1, then berth reconcile` };
        }
        await addNdpProxy(action.address, action.iface);
        return undefined;
      case 'remove-proxy':
        await removeNdpProxy(action.address, action.iface);
        return undefined;
    }
  } catch (caught) {
    if (!isBerthError(caught)) throw caught;
    return { type: 'failed', problem: caught.message, fix: 'fix what the message says, then berth reconcile' };
  }
}

async function provide(engine: Engine, host: HostConfig, hostFile: string, name: string): Promise<Finding | undefined> {
  const entry = host.volumes.get(name);
  if (!entry?.provider) return undefined;
  const outcome = await runProvider({ argv: entry.provider, kind: 'volume', name, hostConfigPath: hostFile, timeoutSeconds: host.providerTimeoutSeconds });
  if (!outcome.ok) return { type: 'failed', problem: `volume ${name}: ${describeProviderFailure(outcome)}`, fix: 'fix the provider, or provide the volume by hand, then berth reconcile' };
  const there = entry.type === 'bind' ? (await inspectDirectory(entry.source)).ok : await volumeExists(engine, entry.volume);
  return there ? undefined : { type: 'failed', problem: `volume ${name}: its provider succeeded, but ${entry.type === 'bind' ? entry.source : `volume ${entry.volume}`} is still missing`, fix: 'fix the provider, then berth reconcile' };
}
