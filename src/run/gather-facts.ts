import type { HostConfig, HostNetwork } from '../core/host/host-config.js';
import { findNetworkForAddress } from '../core/host/host-config.js';
import type { Need } from '../core/needs/need.js';
import { GATEWAY_MODE_IPV6, type AddressHolder, type DirectoryFact, type EngineNetwork, type InterfaceFact, type WorldFacts } from '../core/plan/facts.js';
import type { Engine } from '../edge/engine.js';
import type { ObservedContainer } from '../core/containers/observed.js';
import { containersOnNetworks } from '../edge/containers.js';
import { interfaceExists, proxyNdpEnabled } from '../edge/ndp.js';
import { engineVersion, inspectNetwork, type EngineVersion } from '../edge/networks.js';
import { inspectDirectory } from '../edge/paths.js';
import { volumeExists } from '../edge/volumes.js';
import type { PrefetchedNetworks } from './prefetch-host.js';

/** Looks at exactly what the needs touch (networks, volumes, directories, interfaces), all at once. */
export async function gatherFacts(
  engine: Engine,
  host: HostConfig,
  needs: readonly Need[],
  early: { readonly version?: Promise<EngineVersion>; readonly networks?: PrefetchedNetworks } = {},
): Promise<WorldFacts> {
  const networks = relevantNetworks(host, needs);
  const volumeNames = new Set<string>();
  const directories = new Set<string>();
  for (const need of needs) {
    if (need.kind !== 'volume') continue;
    const entry = host.volumes.get(need.name);
    if (entry?.type === 'bind') directories.add(entry.source);
    else if (entry?.type === 'docker-volume') volumeNames.add(entry.volume);
  }
  const interfaces = new Set([...networks].flatMap((n) => (n.ndpProxy ? [n.ndpProxy] : [])));
  const natMatters = [...networks].some((n) => n.subnet6 && !n.options.has(GATEWAY_MODE_IPV6));

  const [networkFacts, stopped, volumeFacts, directoryFacts, interfaceFacts, natByDefault] = await Promise.all([
    Promise.all([...networks].map(async (n) => [n.name, await (early.networks?.get(n.name) ?? inspectNetwork(engine, n.name))] as const)),
    stoppedHolders(engine, [...networks].map((n) => n.name)),
    Promise.all([...volumeNames].map(async (v) => [v, await volumeExists(engine, v)] as const)),
    Promise.all([...directories].map(async (d) => [d, await inspectDirectory(d)] as const)),
    Promise.all([...interfaces].map(async (i) => [i, await interfaceFact(i)] as const)),
    natMatters ? ipv6NatByDefault(engine, early.version) : Promise.resolve(false),
  ]);
  const withStopped = networkFacts.map(([name, facts]) => [name, facts && { ...facts, holders: [...facts.holders, ...stoppedOn(name, facts.holders, stopped)] }] as const);
  return {
    engine: engine.command,
    networks: new Map<string, EngineNetwork | undefined>(withStopped),
    volumes: new Map(volumeFacts),
    directories: new Map<string, DirectoryFact>(directoryFacts),
    interfaces: new Map<string, InterfaceFact>(interfaceFacts),
    ipv6NatByDefault: natByDefault,
  };
}

// The engine lists only running containers as a network's holders; a stopped one keeps its configured addresses.
async function stoppedHolders(engine: Engine, networks: readonly string[]): Promise<readonly ObservedContainer[]> {
  const all = await containersOnNetworks(engine, networks);
  return all.filter((c) => c.state !== 'running');
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

function relevantNetworks(host: HostConfig, needs: readonly Need[]): Set<HostNetwork> {
  const found = new Set<HostNetwork>();
  const add = (network: HostNetwork | undefined) => network && found.add(network);
  for (const need of needs) {
    if (need.kind === 'network') add(host.networks.get(need.name));
    if (need.kind !== 'address') continue;
    if (need.ref.type === 'literal') add(findNetworkForAddress(host, need.ref.address));
    else {
      const entry = host.addresses.get(need.ref.name);
      if (entry) add(host.networks.get(entry.network));
    }
  }
  return found;
}

async function interfaceFact(iface: string): Promise<InterfaceFact> {
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
