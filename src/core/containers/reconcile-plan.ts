import type { HostConfig } from '../host/host-config.js';
import { NEED_KINDS } from '../needs/kinds/index.js';
import { subnetContains } from '../ip.js';
import type { ContainerView, ProxyEntries } from './container-view.js';
import { trusted } from './container-view.js';
import { comesBack, type ObservedContainer } from './observed.js';

/** One change that brings the host back in line with the berth containers on it. */
export type ReconcileAction =
  | { readonly type: 'create-network'; readonly network: string; readonly for: readonly string[] }
  | { readonly type: 'provide-volume'; readonly volume: string; readonly for: readonly string[] }
  | { readonly type: 'add-proxy'; readonly address: string; readonly iface: string; readonly for: readonly string[] }
  | { readonly type: 'remove-proxy'; readonly address: string; readonly iface: string };

/** Something out of line that berth does not fix by itself, with what to do. */
export interface Finding {
  /** `untrusted` labels, `drift` from the host file, a `stale` network id, a `missing` resource, a change that `failed`. */
  readonly type: 'untrusted' | 'drift' | 'stale' | 'missing' | 'failed';
  readonly container?: string;
  readonly problem: string;
  readonly fix: string;
}

/** What the host and engine have now, beyond the containers. */
export interface HostState {
  readonly proxies: ProxyEntries;
  /** Engine networks by name: their id. */
  readonly networks: ReadonlyMap<string, string>;
  /** Host directories of `source` volumes: whether each is there. */
  readonly directories: ReadonlyMap<string, boolean>;
  /** Engine volumes by name. */
  readonly volumes: ReadonlySet<string>;
}

export interface ReconcilePlan {
  readonly actions: readonly ReconcileAction[];
  readonly findings: readonly Finding[];
}

/**
 * Decides what `berth reconcile` changes: for the berth containers that run or will be started
 * again (restart policy), networks to create, volumes whose provider to run and NDP proxy entries
 * to add; and the proxy entries in a host-file network that no container holds any more, to
 * remove. Drift, untrusted labels and containers pointing at a removed network are findings.
 * `everyone` is every container of the engine, berth's or not: any of them holding an address
 * keeps its proxy entry.
 */
export function planReconcile(views: readonly ContainerView[], everyone: readonly ObservedContainer[], host: HostConfig, state: HostState): ReconcilePlan {
  const networks = new Map<string, string[]>();
  const volumes = new Map<string, string[]>();
  const proxies = new Map<string, { address: string; iface: string; for: string[] }>();
  const findings: Finding[] = [];
  for (const view of views) {
    const name = view.container.name;
    if (view.problems.length > 0) {
      // Only the ones that name the host file in use are this host file's to report.
      if (view.sameHostFile) findings.push({ type: 'untrusted', container: name, problem: `its berth labels cannot be trusted: ${view.problems.join('; ')}`, fix: `berth leaves it alone; remove it (docker rm ${name}) and start it again with berth run` });
      continue;
    }
    if (!trusted(view)) continue;
    for (const drift of view.drift) findings.push({ type: 'drift', container: name, problem: drift.message, fix: `berth run --replace ${name} with the same image to take the host file's entry, or change the host file back` });
    if (!comesBack(view.container)) continue;
    // What changed in the host file is the admin's to settle; berth restores only what still agrees.
    const drifted = new Set(view.drift.map((d) => d.need));
    for (const held of view.record.held) {
      if (drifted.has(`${held.kind}.${held.need}`)) continue;
      const network = NEED_KINDS[held.kind].held.network(held);
      if (network !== undefined) checkNetwork(network, view, host, state, networks, findings);
      if (held.kind === 'volume') checkVolume(held.host, view, host, state, volumes, findings);
      if (held.kind === 'address' && held.ipv6 !== undefined && held.ndpProxy !== undefined && !(state.proxies.get(held.ndpProxy)?.has(held.ipv6) ?? false)) {
        const key = `${held.ndpProxy} ${held.ipv6}`;
        const entry = proxies.get(key) ?? { address: held.ipv6, iface: held.ndpProxy, for: [] };
        entry.for.push(name);
        proxies.set(key, entry);
      }
    }
  }
  const actions: ReconcileAction[] = [
    ...[...networks].map(([network, names]) => ({ type: 'create-network' as const, network, for: names })),
    ...[...volumes].map(([volume, names]) => ({ type: 'provide-volume' as const, volume, for: names })),
    ...[...proxies.values()].map((p) => ({ type: 'add-proxy' as const, ...p })),
    ...staleProxies(everyone, host, state),
  ];
  return { actions, findings };
}

function checkNetwork(name: string, view: ContainerView, host: HostConfig, state: HostState, create: Map<string, string[]>, findings: Finding[]): void {
  const container = view.container.name;
  const attached = view.container.networks.find((n) => n.name === name);
  const id = state.networks.get(name);
  if (id === undefined) {
    if (!host.networks.has(name)) {
      findings.push({ type: 'missing', container, problem: `network ${name} is gone and ${host.file} no longer declares it`, fix: `declare ${name} under networks: and run berth reconcile, or remove ${container}` });
      return;
    }
    create.set(name, [...(create.get(name) ?? []), container]);
  }
  // A container started once points at its network's id; a network made again has another one.
  if (attached && attached.networkId !== '' && attached.networkId !== id) {
    findings.push({
      type: 'stale',
      container,
      problem: `it points at a removed network's id for ${name} (${attached.networkId.slice(0, 12)}), so the engine cannot start it`,
      fix: `berth run --replace ${container} with the same image, or reattach it: docker network disconnect --force ${name} ${container}, then docker network connect${attached.ipv6 ? ` --ip6 ${attached.ipv6}` : ''}${attached.ipv4 ? ` --ip ${attached.ipv4}` : ''} ${name} ${container}`,
    });
  }
}

function checkVolume(name: string, view: ContainerView, host: HostConfig, state: HostState, provide: Map<string, string[]>, findings: Finding[]): void {
  const entry = host.volumes.get(name);
  if (!entry) return;
  const there = entry.type === 'bind' ? state.directories.get(entry.source) === true : state.volumes.has(entry.volume);
  if (there) return;
  const container = view.container.name;
  if (entry.provider) {
    provide.set(name, [...(provide.get(name) ?? []), container]);
    return;
  }
  const what = entry.type === 'bind' ? `its source ${entry.source} is missing` : `engine volume ${entry.volume} is missing`;
  findings.push({ type: 'missing', container, problem: `volume ${name}: ${what}, and ${host.file} gives it no provider`, fix: entry.type === 'bind' ? `make ${entry.source} exist (mount it), or give ${name} a provider` : `create it (docker volume create ${entry.volume}), or give ${name} a provider` });
}

// An entry on a network's proxy interface for an address in its subnet is berth's; it goes once no container holds the address.
function staleProxies(everyone: readonly ObservedContainer[], host: HostConfig, state: HostState): ReconcileAction[] {
  const held = new Set(everyone.flatMap((c) => c.networks.flatMap((n) => (n.ipv6 === undefined ? [] : [n.ipv6]))));
  const stale: ReconcileAction[] = [];
  for (const network of host.networks.values()) {
    const subnet = network.subnet6;
    if (network.ndpProxy === undefined || subnet === undefined) continue;
    for (const address of state.proxies.get(network.ndpProxy) ?? []) {
      if (subnetContains(subnet, address) && !held.has(address)) stale.push({ type: 'remove-proxy', address, iface: network.ndpProxy });
    }
  }
  return stale;
}
