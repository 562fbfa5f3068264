import { isName } from '../core/needs/grammar.js';
import type { Engine } from '../edge/engine.js';
import { readHostText } from '../edge/host-text.js';
import { inspectNetwork, type NetworkFacts } from '../edge/networks.js';

const MAX_PREFETCH = 4;

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
 */
export async function prefetchHost(engine: Engine, hostPath: string): Promise<HostPrefetch> {
  const read = await readHostText(hostPath);
  const text = read.ok ? read.text : undefined;
  const names = networkNames(text ?? '');
  const networks = names.length === 0 || names.length > MAX_PREFETCH ? new Map() : new Map(names.map((name) => {
    const inspected = inspectNetwork(engine, name);
    inspected.catch(() => undefined);
    return [name, inspected] as const;
  }));
  return { ...(text === undefined ? {} : { text }), networks };
}

// The keys directly under a top-level `networks:` block, read by indentation only.
function networkNames(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^networks:\s*(#.*)?$/.test(line));
  if (start < 0) return [];
  const names: string[] = [];
  let indent: number | undefined;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const depth = line.length - line.trimStart().length;
    if (depth === 0) break;
    indent ??= depth;
    const key = /^\s*([^\s:#]+)\s*:/.exec(line)?.[1];
    if (depth === indent && key !== undefined && isName(key)) names.push(key);
  }
  return names;
}
