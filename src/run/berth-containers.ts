import { trusted, viewContainer, type ContainerView } from '../core/containers/container-view.js';
import type { ObservedContainer } from '../core/containers/observed.js';
import type { HostState } from '../core/containers/reconcile-plan.js';
import { RUN_SCHEMA_LABEL } from '../core/containers/run-labels.js';
import type { HostConfig } from '../core/host/host-config.js';
import type { Engine } from '../edge/engine.js';
import { listNetworkIds, listVolumeNames } from '../edge/engine-objects.js';
import { observeContainers } from '../edge/containers.js';
import { interfaceExists, listNdpProxies } from '../edge/ndp.js';
import { inspectDirectory } from '../edge/paths.js';

/** The berth containers on this host, each read back and compared with the host file in use. */
export interface BerthContainers {
  readonly views: readonly ContainerView[];
  /** Every container of the engine (only with `everyone`): any of them holding an address keeps its proxy entry. */
  readonly everyone: readonly ObservedContainer[];
  readonly proxies: HostState['proxies'];
}

/**
 * Looks at the containers berth started (all, or the running ones) and the NDP proxy entries on
 * every interface the host file or their labels name: one engine query, one `ip` per interface.
 */
export async function observeBerthContainers(
  engine: Engine,
  hostFile: string,
  host: HostConfig | undefined,
  options: { readonly all: boolean; readonly everyone?: boolean },
): Promise<BerthContainers> {
  const listed = await observeContainers(engine, options.everyone ? { all: true } : { label: RUN_SCHEMA_LABEL, all: options.all });
  const berths = listed.filter((c) => c.labels[RUN_SCHEMA_LABEL] !== undefined);
  // The labels are read once without proxies to learn which interfaces they name.
  const first = berths.map((c) => viewContainer(c, hostFile, host, new Map()));
  const interfaces = new Set<string>([...(host?.networks.values() ?? [])].flatMap((n) => (n.ndpProxy === undefined ? [] : [n.ndpProxy])));
  for (const view of first.filter(trusted)) {
    for (const held of view.record.held) if (held.kind === 'address' && held.ndpProxy !== undefined) interfaces.add(held.ndpProxy);
  }
  const proxies = await listProxies(interfaces);
  const views = berths.map((c) => viewContainer(c, hostFile, host, proxies));
  return { views, everyone: options.everyone ? listed : [], proxies };
}

/** The NDP proxy entries on each interface; an interface that does not exist has none. */
export async function listProxies(interfaces: Iterable<string>): Promise<Map<string, ReadonlySet<string>>> {
  const listed = await Promise.all([...interfaces].map(async (iface) => [iface, (await interfaceExists(iface)) ? new Set(await listNdpProxies(iface)) : new Set<string>()] as const));
  return new Map(listed);
}

/** What reconcile compares the containers with: networks and volumes of the engine, the host file's directories. */
export async function observeHostState(engine: Engine, host: HostConfig, proxies: HostState['proxies']): Promise<HostState> {
  const sources = [...host.volumes.values()].flatMap((v) => (v.type === 'bind' ? [v.source] : []));
  const [networks, volumes, directories] = await Promise.all([
    listNetworkIds(engine),
    listVolumeNames(engine),
    Promise.all(sources.map(async (source) => [source, (await inspectDirectory(source)).ok] as const)),
  ]);
  return { proxies, networks, volumes, directories: new Map(directories) };
}
