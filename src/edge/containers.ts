import { parseIpAddress } from '../core/ip.js';
import type { ContainerMount, ContainerNetwork, ObservedContainer } from '../core/containers/observed.js';
import { engineCall, engineFailure, type Engine } from './engine.js';
import { localSocket } from './engine-api.js';
import { asArray, asRecord, parseJsonValue, printedLines, stringRecord, text, type Json } from './engine-json.js';

/** Which containers to look at: all of them, or only those carrying a label. */
export interface ContainerQuery {
  readonly label?: string;
  /** Also those not running (`ps -a`). */
  readonly all: boolean;
}

/**
 * Every container the query selects, with its addresses, networks, mounts and labels, in two
 * engine calls however many there are: `ps` for their ids and one `container inspect` of all.
 */
export async function observeContainers(engine: Engine, query: ContainerQuery): Promise<ObservedContainer[]> {
  const args = ['ps', '--quiet', '--no-trunc', ...(query.all ? ['--all'] : []), ...(query.label === undefined ? [] : ['--filter', `label=${query.label}`])];
  const listed = await engineCall(engine, args);
  if (listed.exitCode !== 0) throw engineFailure(engine, listed, 'cannot list the containers', 'containers.list-failed');
  const ids = [...new Set(printedLines(listed.stdout))];
  return inspectContainers(engine, ids);
}

/** The containers of `refs` (names or ids) that exist, in one query; the ones that do not are left out. */
export async function inspectContainers(engine: Engine, refs: readonly string[]): Promise<ObservedContainer[]> {
  if (refs.length === 0) return [];
  // Without --format both CLIs print the engine's own JSON (an array), which its API gives as well;
  // a template would print the CLI's idea of a container, which differs between docker clients.
  const inspected = await engineCall(engine, ['container', 'inspect', '--', ...refs]);
  const found = asArray(parseJsonValue(inspected.stdout)).flatMap((value) => {
    const item = asRecord(value);
    return item ? [container(engine, item)] : [];
  });
  // Both print the ones they found and fail for the rest; should podman stop short, ask it again
  // one by one for what it did not print.
  if (inspected.exitCode === 0) return found;
  const missingAll = found.length === 0 && refs.length === 1;
  if (engine.name === 'docker' || missingAll) return checkedPartial(engine, inspected, found);
  const seen = new Set(found.flatMap((c) => [c.id, c.name]));
  const rest = refs.filter((ref) => !seen.has(ref) && ![...seen].some((id) => id.startsWith(ref)));
  const again = await Promise.all(rest.map((ref) => inspectContainers(engine, [ref])));
  return [...found, ...again.flat()];
}

// A failure that found nothing may be the engine not answering rather than absent containers.
async function checkedPartial(engine: Engine, result: Awaited<ReturnType<typeof engineCall>>, found: ObservedContainer[]): Promise<ObservedContainer[]> {
  if (found.length > 0) return found;
  const { engineAnswers } = await import('./engine.js');
  const answers = await engineAnswers(engine);
  if (answers.exitCode !== 0) throw engineFailure(engine, result, 'cannot inspect the containers', 'containers.inspect-failed');
  return found;
}

function container(engine: Engine, item: Json): ObservedContainer {
  const state = asRecord(item['State']);
  const config = asRecord(item['Config']);
  const host = asRecord(item['HostConfig']);
  const restart = text(asRecord(host?.['RestartPolicy'])?.['Name']);
  return {
    id: text(item['Id']),
    name: text(item['Name']).replace(/^\//, ''),
    state: text(state?.['Status']).toLowerCase(),
    image: engine.name === 'podman' ? text(item['ImageName']) || text(config?.['Image']) : text(config?.['Image']),
    restartPolicy: restart === '' ? 'no' : restart,
    labels: stringRecord(config?.['Labels']),
    networks: Object.entries(asRecord(asRecord(item['NetworkSettings'])?.['Networks']) ?? {}).map(([name, value]) => network(name, asRecord(value))),
    mounts: asArray(item['Mounts']).map(asRecord).flatMap((m) => (m ? [mount(m)] : [])),
  };
}

// The configured address (IPAMConfig) is the one the container holds even while stopped; the
// current one is all a running container on a network berth did not address has.
function network(name: string, settings: Json | undefined): ContainerNetwork {
  const ipam = asRecord(settings?.['IPAMConfig']);
  const ipv6 = canonicalAddress(text(ipam?.['IPv6Address']) || text(settings?.['GlobalIPv6Address']));
  const ipv4 = canonicalAddress(text(ipam?.['IPv4Address']) || text(settings?.['IPAddress']));
  return { name, networkId: text(settings?.['NetworkID']), ...(ipv6 === '' ? {} : { ipv6 }), ...(ipv4 === '' ? {} : { ipv4 }) };
}

function mount(m: Json): ContainerMount {
  const type = text(m['Type']);
  return { type, source: type === 'volume' ? text(m['Name']) || text(m['Source']) : text(m['Source']), target: text(m['Destination']) };
}

/**
 * The ids of every container on any of `networks`, running or not, each id once: over the
 * engine's socket one query per network (the form `berth run` starts early, see ask-early.ts),
 * else one CLI call for all of them.
 */
export async function containerIdsOnNetworks(engine: Engine, networks: readonly string[]): Promise<string[]> {
  if (networks.length === 0) return [];
  const queries = localSocket(engine) === undefined ? [containersOnNetworksArgs(networks)] : networks.map((name) => containersOnNetworksArgs([name]));
  const lists = await Promise.all(queries.map(async (args) => {
    const listed = await engineCall(engine, args);
    if (listed.exitCode !== 0) throw engineFailure(engine, listed, 'cannot list the containers', 'containers.list-failed');
    return printedLines(listed.stdout);
  }));
  return [...new Set(lists.flat())];
}

/** The engine query for the containers on any of `networks`, running or not: one full id a line. */
export function containersOnNetworksArgs(networks: readonly string[]): string[] {
  return ['ps', '--quiet', '--no-trunc', '--all', ...networks.flatMap((name) => ['--filter', `network=${name}`])];
}

/** The link-layer address a container has on each of its networks, by network name; empty for one that is not running. */
export async function containerMacs(engine: Engine, id: string): Promise<Map<string, string>> {
  // The form inspectContainers asks in (the engine's own JSON, an array), which the engine's API answers too.
  const inspected = await engineCall(engine, ['container', 'inspect', '--', id]);
  const item = inspected.exitCode === 0 ? asRecord(asArray(parseJsonValue(inspected.stdout))[0]) : undefined;
  const networks = asRecord(asRecord(item?.['NetworkSettings'])?.['Networks']);
  const macs = Object.entries(networks ?? {}).map(([name, settings]) => [name, text(asRecord(settings)?.['MacAddress'])] as const);
  return new Map(macs.filter(([, mac]) => mac !== ''));
}

// The engines print addresses as they like (with a prefix, uncompressed); berth compares canonical ones.
function canonicalAddress(address: string): string {
  return parseIpAddress(address.split('/')[0]?.trim() ?? '')?.address ?? '';
}
