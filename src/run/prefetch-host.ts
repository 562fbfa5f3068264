import { networkNamesHint } from '../core/host/network-names-hint.js';
import type { Engine } from '../edge/engine.js';
import { readHostText, type HostText } from '../edge/host-text.js';
import { inspectNetwork, type NetworkFacts } from '../edge/networks.js';

export type PrefetchedNetworks = ReadonlyMap<string, Promise<NetworkFacts | undefined>>;

/** The host file's text, read once, and the networks it seems to declare, being inspected. */
export interface HostPrefetch {
  /** Absent when the file could not be read: reading it again gives the reason. */
  readonly text?: string;
  readonly networks: PrefetchedNetworks;
}

/**
 * Reads the host file and starts inspecting the networks it seems to declare before berth has
 * loaded its YAML parser, so the engine answers while berth starts. The networks are only a hint:
 * the parsed file decides which answers are used, and a network not guessed here is inspected as usual.
 * `known`: the file as read already at this path.
 */
export async function prefetchHost(engine: Engine, hostPath: string, known?: HostText): Promise<HostPrefetch> {
  const read = known ?? readHostText(hostPath);
  const text = read.ok ? read.text : undefined;
  const names = networkNamesHint(text ?? '');
  const networks = names.length === 0 ? new Map() : new Map(names.map((name) => {
    const facts = inspectNetwork(engine, name);
    facts.catch(() => undefined);
    return [name, facts] as const;
  }));
  return { ...(text === undefined ? {} : { text }), networks };
}
