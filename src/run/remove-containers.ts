import { viewContainer, type ContainerView } from '../core/containers/container-view.js';
import type { ObservedContainer } from '../core/containers/observed.js';
import { BerthError } from '../core/errors.js';
import { NEED_KINDS } from '../core/needs/kinds/index.js';
import type { HostConfig } from '../core/host/host-config.js';
import { engineCall, engineFailure, type Engine } from '../edge/engine.js';
import { inspectContainers, observeContainers } from '../edge/containers.js';
import { removeNetwork } from '../edge/engine-objects.js';
import { removeNdpProxy } from '../edge/ndp.js';

export interface RemoveOptions {
  readonly force: boolean;
  /** Also remove the host file's networks the containers were on, once no container is left on them. */
  readonly networks: boolean;
  readonly hostFile: string;
  readonly host?: HostConfig;
  /** Called with each host change. */
  readonly change: (line: string) => void;
}

/**
 * `berth rm`: removes berth containers and releases what only they used. Every container is
 * checked first (it exists, berth started it, its labels can be trusted, it is stopped or
 * `force`), so that a bad argument changes nothing.
 */
export async function removeContainers(engine: Engine, refs: readonly string[], options: RemoveOptions): Promise<string[]> {
  const found = await inspectContainers(engine, refs);
  const views = refs.map((ref) => {
    const container = found.find((c) => c.name === ref || c.id === ref) ?? found.find((c) => c.id.startsWith(ref));
    if (!container) throw refused(`no such container: ${ref}`);
    return viewContainer(container, options.hostFile, options.host, new Map());
  });
  for (const view of views) check(view, options.force, options.hostFile);
  const unique = [...new Map(views.map((v) => [v.container.id, v])).values()];
  const removed = await engineCall(engine, ['rm', ...(options.force ? ['--force'] : []), '--', ...unique.map((v) => v.container.id)]);
  const left = await observeContainers(engine, { all: true });
  const gone = unique.filter((v) => !left.some((c) => c.id === v.container.id));
  if (removed.exitCode !== 0 && gone.length === 0) throw engineFailure(engine, removed, `cannot remove ${refs.join(', ')}`, 'rm.failed');
  await release(engine, gone, left, options);
  if (gone.length < unique.length) {
    const stayed = unique.filter((v) => !gone.includes(v)).map((v) => v.container.name);
    throw engineFailure(engine, removed, `removed ${gone.map((v) => v.container.name).join(', ')}, but not ${stayed.join(', ')}`, 'rm.failed');
  }
  return gone.map((v) => v.container.name);
}

function check(view: ContainerView, force: boolean, hostFile: string): void {
  const { name, state } = view.container;
  if (view.problems.length > 0) {
    throw refused(`${name}: ${view.problems.join('; ')}; nothing was removed (berth acts only on containers it started and can read; docker rm ${name} removes it without releasing anything)`);
  }
  if (!view.sameHostFile) {
    throw refused(`${name} was started with host file ${view.record?.hostFile ?? '?'}, not ${hostFile}; nothing was removed (pass that file with --host-config)`);
  }
  if (!force && (state === 'running' || state === 'restarting' || state === 'paused')) {
    throw refused(`${name} is ${state}; nothing was removed (stop it first, or use berth rm -f)`);
  }
}

/** Releases what the containers that are `gone` held: proxy entries and, when asked, networks that no container `left` uses. */
export async function release(engine: Engine, gone: readonly ContainerView[], left: readonly ObservedContainer[], options: RemoveOptions): Promise<void> {
  await releaseProxies(gone, left, options.change);
  if (!options.networks) return;
  const networksLeft = new Set(left.flatMap((c) => c.networks.map((n) => n.name)));
  const networks = new Set<string>();
  for (const view of gone) {
    for (const held of view.record?.held ?? []) {
      const network = NEED_KINDS[held.kind].held.network(held);
      if (network !== undefined && !networksLeft.has(network) && options.host?.networks.has(network)) networks.add(network);
    }
  }
  for (const network of networks) {
    if (await removeNetwork(engine, network)) options.change(`removed network ${network}`);
    else options.change(`kept network ${network}: the engine would not remove it`);
  }
}

/** Removes the NDP proxy entries berth kept for containers that are gone, unless a container `left` holds the address. */
export async function releaseProxies(gone: readonly ContainerView[], left: readonly ObservedContainer[], change: (line: string) => void): Promise<void> {
  const heldLeft = new Set(left.flatMap((c) => c.networks.flatMap((n) => (n.ipv6 === undefined ? [] : [n.ipv6]))));
  const proxies = new Map<string, { address: string; iface: string }>();
  for (const view of gone) {
    for (const held of view.record?.held ?? []) {
      if (held.kind === 'address' && held.ipv6 !== undefined && held.ndpProxy !== undefined && !heldLeft.has(held.ipv6)) {
        proxies.set(`${held.ndpProxy} ${held.ipv6}`, { address: held.ipv6, iface: held.ndpProxy });
      }
    }
  }
  for (const { address, iface } of proxies.values()) {
    await removeNdpProxy(address, iface);
    change(`released NDP proxy entry ${address} on ${iface}`);
  }
}

function refused(message: string): BerthError {
  return new BerthError(message, { code: 'rm.refused' });
}
