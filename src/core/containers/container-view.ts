import type { HostConfig } from '../host/host-config.js';
import { NEED_KINDS } from '../needs/kinds/index.js';
import type { ObservedContainer } from './observed.js';
import { decodeRunLabels, type Held, type RunRecord } from './run-labels.js';

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
    // Labels can be set by anyone: what they claim must be what the engine gave the container.
    ...decoded.record.held.flatMap((held) => NEED_KINDS[held.kind].held.mismatch(held, container)),
  ];
  const record = problems.length === 0 ? decoded.record : undefined;
  const sameHostFile = decoded.record.hostFile === hostFile;
  const holdings = decoded.record.held.map((held) => holding(held, proxies));
  const drift = record && sameHostFile && host
    ? record.held.flatMap((held) => NEED_KINDS[held.kind].held.drift(held, host).map((message) => ({ need: `${held.kind}.${held.need}`, message })))
    : [];
  return { container, ...(record ? { record } : {}), problems, sameHostFile, holdings, drift };
}

// The NDP proxy entry is the address's only: its presence is a fact of the host, not of the kind.
function holding(held: Held, proxies: ProxyEntries): HoldingView {
  const text = NEED_KINDS[held.kind].held.describe(held);
  if (held.kind !== 'address' || held.ndpProxy === undefined || held.ipv6 === undefined) return { held, text };
  const present = proxies.get(held.ndpProxy)?.has(held.ipv6) ?? false;
  return { held, text, proxy: { address: held.ipv6, iface: held.ndpProxy, present } };
}
