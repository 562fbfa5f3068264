import type { HostConfig } from '../host/host-config.js';
import { findNetworkForAddress } from '../host/host-config.js';
import type { ObservedContainer } from './observed.js';
import { decodeRunLabels, type Held, type HeldAddress, type RunRecord } from './run-labels.js';

/** The NDP proxy entries on each interface berth looked at, canonical addresses. */
export type ProxyEntries = ReadonlyMap<string, ReadonlySet<string>>;

/** One need of a container and what it holds now. */
export interface HoldingView {
  readonly held: Held;
  /** What it holds, for people: `2001:db8::20 on public6`, `/srv/www`, `volume web-cache`. */
  readonly text: string;
  /** The NDP proxy entry berth keeps for the address, and whether the host has it now. */
  readonly proxy?: { readonly address: string; readonly iface: string; readonly present: boolean };
}

/** A container berth started, read back from its labels and compared with the engine and the host file. */
export interface ContainerView {
  readonly container: ObservedContainer;
  /** Present when the labels are sound and agree with what the engine says about the container. */
  readonly record?: RunRecord;
  /** Why berth does not trust the container's labels; it acts on nothing of such a container. */
  readonly problems: readonly string[];
  /** Whether it was started with the host file in use; berth acts only on those. */
  readonly sameHostFile: boolean;
  readonly holdings: readonly HoldingView[];
  /** How the host file now differs from what the container holds. */
  readonly drift: readonly Drift[];
}

/** One need whose host-file entry changed since the container was started. */
export interface Drift {
  /** `address.web`: the need's kind and the image's name for it. */
  readonly need: string;
  readonly message: string;
}

/** True for a container berth may act on: sound labels, and started with the host file in use. */
export function trusted(view: ContainerView): view is ContainerView & { readonly record: RunRecord } {
  return view.record !== undefined && view.sameHostFile;
}

/**
 * Reads what berth recorded on a container and checks it: against the engine (the labels must
 * name addresses and networks the container really has) and against the host file now (drift).
 */
export function viewContainer(container: ObservedContainer, hostFile: string, host: HostConfig | undefined, proxies: ProxyEntries): ContainerView {
  const decoded = decodeRunLabels(container.labels);
  if (!decoded.present) {
    return { container, problems: ['carries no berth.run labels: berth did not start it'], sameHostFile: false, holdings: [], drift: [] };
  }
  const problems = [
    ...decoded.problems.map((p) => `label ${p.key} ${p.message}`),
    ...decoded.record.held.flatMap((held) => engineMismatch(held, container)),
  ];
  const record = problems.length === 0 ? decoded.record : undefined;
  const sameHostFile = decoded.record.hostFile === hostFile;
  const holdings = decoded.record.held.map((held) => holding(held, proxies));
  const drift = record && sameHostFile && host
    ? record.held.flatMap((held) => driftOf(held, host).map((message) => ({ need: `${held.kind}.${held.need}`, message })))
    : [];
  return { container, ...(record ? { record } : {}), problems, sameHostFile, holdings, drift };
}

function holding(held: Held, proxies: ProxyEntries): HoldingView {
  switch (held.kind) {
    case 'address': {
      const at = [held.ipv6, held.ipv4].filter((a) => a !== undefined).join(' and ');
      const text = `${at} on ${held.network}`;
      if (held.ndpProxy === undefined || held.ipv6 === undefined) return { held, text };
      const present = proxies.get(held.ndpProxy)?.has(held.ipv6) ?? false;
      return { held, text, proxy: { address: held.ipv6, iface: held.ndpProxy, present } };
    }
    case 'volume':
      return { held, text: held.source ?? `volume ${held.volume ?? ''}` };
    case 'network':
      return { held, text: `network ${held.host}` };
  }
}

// Labels can be set by anyone: what they claim must be what the engine gave the container.
function engineMismatch(held: Held, container: ObservedContainer): string[] {
  const network = held.kind === 'address' ? held.network : held.kind === 'network' ? held.host : undefined;
  if (network === undefined) return [];
  const attached = container.networks.find((n) => n.name === network);
  if (!attached) return [`label ${labelName(held)} says it is on network ${network}, but the container is not`];
  if (held.kind !== 'address') return [];
  const wrong = (['ipv6', 'ipv4'] as const).filter((family) => held[family] !== undefined && held[family] !== attached[family]);
  return wrong.map((family) => `label ${labelName(held)} says ${held[family] ?? ''} on ${network}, but the container has ${attached[family] ?? 'no IPv' + family.slice(2)} there`);
}

/** What changed in the host file since the container was started, need by need. */
function driftOf(held: Held, host: HostConfig): string[] {
  switch (held.kind) {
    case 'address':
      return addressDrift(held, host);
    case 'volume': {
      const entry = host.volumes.get(held.host);
      if (!entry) return [`volume ${held.host} is no longer in ${host.file}`];
      const now = entry.type === 'bind' ? entry.source : `volume ${entry.volume}`;
      const then = held.source ?? `volume ${held.volume ?? ''}`;
      return now === then ? [] : [`volume ${held.host} is now ${now} in ${host.file}, the container mounts ${then}`];
    }
    case 'network':
      return host.networks.has(held.host) ? [] : [`network ${held.host} is no longer in ${host.file}`];
  }
}

function addressDrift(held: HeldAddress, host: HostConfig): string[] {
  const drift: string[] = [];
  if (held.host !== undefined) {
    const entry = host.addresses.get(held.host);
    if (!entry) return [`address ${held.host} is no longer in ${host.file}`];
    const now = [entry.ipv6, entry.ipv4].filter((a) => a !== undefined).join(' and ');
    const then = [held.ipv6, held.ipv4].filter((a) => a !== undefined).join(' and ');
    if (entry.network !== held.network || now !== then) drift.push(`address ${held.host} is now ${now} on ${entry.network} in ${host.file}, the container holds ${then} on ${held.network}`);
  } else {
    const literal = held.ipv6 ?? held.ipv4 ?? '';
    const network = findNetworkForAddress(host, literal);
    if (network?.name !== held.network) drift.push(`${literal} is ${network ? `now on network ${network.name}` : 'on no network'} in ${host.file}, the container holds it on ${held.network}`);
  }
  if (drift.length > 0) return drift;
  const network = host.networks.get(held.network);
  if (network && held.ipv6 !== undefined && network.ndpProxy !== held.ndpProxy) {
    const now = network.ndpProxy === undefined ? 'answers NDP on no interface' : `answers NDP on ${network.ndpProxy}`;
    drift.push(`network ${held.network} now ${now} in ${host.file}, berth kept an entry ${held.ndpProxy === undefined ? 'on none' : `on ${held.ndpProxy}`} for ${held.ipv6}`);
  }
  return drift;
}

function labelName(held: Held): string {
  return `berth.run.${held.kind}.${held.need}`;
}
