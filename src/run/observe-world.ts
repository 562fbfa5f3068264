import type { HostConfig } from '../core/host/host-config.js';
import { kindOf } from '../core/needs/kinds/index.js';
import type { Need } from '../core/needs/need.js';
import { GATEWAY_MODE_IPV6, type AddressHolder, type DirectoryState, type EngineNetwork, type InterfaceState, type WorldState } from '../core/plan/world-state.js';
import type { Engine } from '../edge/engine.js';
import type { ObservedContainer } from '../core/containers/observed.js';
import { containerIdsOnNetworks, inspectContainers } from '../edge/containers.js';
import { interfaceExists, proxyNdpEnabled } from '../edge/ndp.js';
import { engineVersion, inspectNetwork, type EngineVersion } from '../edge/networks.js';
import { inspectDirectory } from '../edge/paths.js';
import { volumeExists } from '../edge/volumes.js';
import type { PrefetchedNetworks } from './prefetch-host.js';

/** Looks at exactly what the needs touch (each kind says what), and the interfaces of their networks, all at once. */
export async function observeWorld(
  engine: Engine,
  host: HostConfig,
  needs: readonly Need[],
  early: { readonly version?: Promise<EngineVersion>; readonly networks?: PrefetchedNetworks } = {},
): Promise<WorldState> {
  const touched = needs.map((need) => kindOf(need).touches(need, host));
  const networks = new Set(touched.flatMap((t) => t.networks).flatMap((name) => host.networks.get(name) ?? []));
  const volumeNames = new Set(touched.flatMap((t) => t.volumes));
  const directories = new Set(touched.flatMap((t) => t.directories));
  const interfaces = new Set([...networks].flatMap((n) => (n.ndpProxy ? [n.ndpProxy] : [])));
  const natMatters = [...networks].some((n) => n.subnet6 && !n.options.has(GATEWAY_MODE_IPV6));

  const [networkStates, listed, volumeStates, directoryStates, interfaceStates, natByDefault] = await Promise.all([
    Promise.all([...networks].map(async (n) => [n.name, await (early.networks?.get(n.name) ?? inspectNetwork(engine, n.name))] as const)),
    containerIdsOnNetworks(engine, [...networks].map((n) => n.name)),
    Promise.all([...volumeNames].map(async (v) => [v, await volumeExists(engine, v)] as const)),
    Promise.all([...directories].map(async (d) => [d, await inspectDirectory(d)] as const)),
    Promise.all([...interfaces].map(async (i) => [i, await interfaceState(i)] as const)),
    natMatters ? ipv6NatByDefault(engine, early.version) : Promise.resolve(false),
  ]);
  const stopped = await stoppedHolders(engine, listed, networkStates.flatMap(([, state]) => state?.holders ?? []));
  const withStopped = networkStates.map(([name, state]) => [name, state && { ...state, holders: [...state.holders, ...stoppedOn(name, state.holders, stopped)] }] as const);
  return {
    engine: engine.command,
    networks: new Map<string, EngineNetwork | undefined>(withStopped),
    volumes: new Map(volumeStates),
    directories: new Map<string, DirectoryState>(directoryStates),
    interfaces: new Map<string, InterfaceState>(interfaceStates),
    ipv6NatByDefault: natByDefault,
  };
}

// The engine lists only running containers as a network's holders; a stopped one keeps its
// configured addresses. Only the containers that are not holders already are inspected.
async function stoppedHolders(engine: Engine, listed: readonly string[], running: readonly AddressHolder[]): Promise<readonly ObservedContainer[]> {
  const holders = new Set(running.map((holder) => holder.id));
  const others = await inspectContainers(engine, listed.filter((id) => !holders.has(id)));
  return others.filter((c) => c.state !== 'running');
}

function stoppedOn(network: string, running: readonly AddressHolder[], stopped: readonly ObservedContainer[]): AddressHolder[] {
  return stopped.flatMap((container) => {
    const attached = container.networks.find((n) => n.name === network);
    if (!attached || running.some((h) => h.id === container.id) || (attached.ipv6 === undefined && attached.ipv4 === undefined)) return [];
    return [{
      container: container.name, id: container.id, stopped: container.state,
      ...(attached.ipv6 === undefined ? {} : { ipv6: attached.ipv6 }),
      ...(attached.ipv4 === undefined ? {} : { ipv4: attached.ipv4 }),
    }];
  });
}

async function interfaceState(iface: string): Promise<InterfaceState> {
  const exists = await interfaceExists(iface);
  return { exists, proxyNdp: exists && (await proxyNdpEnabled(iface)) === true };
}

// Docker 27 and later NAT IPv6 on bridge networks unless the network is in routed mode.
async function ipv6NatByDefault(engine: Engine, asked?: Promise<EngineVersion>): Promise<boolean> {
  if (engine.name !== 'docker') return false;
  const { version } = await (asked ?? engineVersion(engine));
  const major = Number(/^(\d+)\./.exec(version)?.[1] ?? 0);
  return major >= 27;
}
