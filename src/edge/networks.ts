import { parseIpAddress } from '../core/ip.js';
import { BerthError } from '../core/errors.js';
import { networkConnectArgs, networkCreateArgs, type NetworkSpec } from '../core/plan/docker-argv.js';
import { engineCall, engineFailure, isUnreachable, lastLine, serverVersionArgs, unreachable, type Engine, type EngineName, type EngineResult } from './engine.js';
import { asArray, asRecord, firstObject, printedLines, stringRecord, text, type Json } from './engine-json.js';

/** A container attached to a network and the addresses it holds there (without prefix). */
export interface NetworkHolder {
  readonly container: string;
  readonly id: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
}

/** An engine network as it exists now, in the same form for docker and podman. */
export interface NetworkFacts {
  readonly name: string;
  readonly id: string;
  readonly ipv6: boolean;
  /** CIDRs; IPv6 canonical (RFC 5952), lower case. */
  readonly subnets: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly holders: readonly NetworkHolder[];
}

export type ConnectOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface EngineVersion {
  readonly engine: EngineName;
  /** The server's version as it reports it, e.g. `20.10.24+dfsg1`. */
  readonly version: string;
}


/** Reads a network's subnets and who holds which address on it, before berth joins a container to it; undefined when there is none. */
export async function inspectNetwork(engine: Engine, name: string): Promise<NetworkFacts | undefined> {
  let result = await engineCall(engine, ['network', 'inspect', '--', name]);
  if (result.exitCode !== 0) {
    // The engines word "no such network" differently: ask for the list instead, by exact name.
    const listed = await engineCall(engine, ['network', 'ls', '--filter', `name=${name}`, '--format', '{{.Name}}']);
    checkOk(engine, listed, `cannot list network ${name}`);
    if (!listed.stdout.split('\n').some((line) => line.trim() === name)) return undefined;
    // Listed now: another run may have created it since the inspect, so ask once more.
    result = await engineCall(engine, ['network', 'inspect', '--', name]);
    if (result.exitCode !== 0) throw engineFailure(engine, result, `cannot inspect network ${name}`, 'network.inspect-failed');
  }
  const entry = firstObject(result.stdout);
  if (entry === undefined) throw new BerthError(`${engine.name} network inspect printed no network for ${name}`, { code: 'network.inspect-failed' });
  const facts = engine.name === 'podman' ? await podmanNetwork(engine, entry) : dockerNetwork(entry);
  // The engines also match an ID prefix; only a network of exactly this name is the one asked for.
  return facts.name === name ? facts : undefined;
}

/** Creates a network from its host-file entry when the engine has none of that name. */
export async function createNetwork(engine: Engine, spec: NetworkSpec): Promise<void> {
  const result = await engineCall(engine, networkCreateArgs(spec));
  if (result.exitCode !== 0) {
    if (isUnreachable(result)) throw unreachable(engine, result);
    throw new BerthError(
      `cannot create network ${spec.name}: ${lastLine(result.stderr)} (fix its entry under networks: or remove what overlaps it)`,
      { code: 'network.create-failed' },
    );
  }
}

/** Joins a container to a further network at fixed addresses; a refusal is returned, so the caller can name the address taken in a race. */
export async function connectNetwork(
  engine: Engine,
  network: string,
  container: string,
  addresses: { readonly ip6?: string; readonly ip?: string } = {},
): Promise<ConnectOutcome> {
  const result = await engineCall(engine, networkConnectArgs(network, container, addresses));
  if (result.exitCode !== 0) {
    if (isUnreachable(result)) throw unreachable(engine, result);
    return { ok: false, message: lastLine(result.stderr) || `exit status ${result.exitCode}` };
  }
  return { ok: true };
}

/** The engine's server version, from which the caller guesses whether IPv6 networks are NATed by default. */
export async function engineVersion(engine: Engine): Promise<EngineVersion> {
  const result = await engineCall(engine, serverVersionArgs(engine));
  if (result.exitCode !== 0) throw unreachable(engine, result);
  return { engine: engine.name, version: result.stdout.trim() };
}

function dockerNetwork(entry: Json): NetworkFacts {
  const ipamConfig = asArray(asRecord(entry['IPAM'])?.['Config']).map(asRecord);
  const holders: NetworkHolder[] = [];
  for (const [id, value] of Object.entries(asRecord(entry['Containers']) ?? {})) {
    const container = asRecord(value);
    holders.push(holder(text(container?.['Name']), id, text(container?.['IPv4Address']), text(container?.['IPv6Address'])));
  }
  return {
    name: text(entry['Name']),
    id: text(entry['Id']),
    ipv6: entry['EnableIPv6'] === true,
    subnets: present(ipamConfig.map((config) => canonicalCidr(text(config?.['Subnet'])))),
    options: stringRecord(entry['Options']),
    holders,
  };
}

async function podmanNetwork(engine: Engine, entry: Json): Promise<NetworkFacts> {
  const subnets = asArray(entry['subnets']).map(asRecord);
  const name = text(entry['name']);
  return {
    name,
    id: text(entry['id']),
    ipv6: entry['ipv6_enabled'] === true,
    subnets: present(subnets.map((subnet) => canonicalCidr(text(subnet?.['subnet'])))),
    options: stringRecord(entry['options']),
    holders: await podmanHolders(engine, name),
  };
}

// Podman's network inspect does not list containers: ask which run on it, then what each holds there.
async function podmanHolders(engine: Engine, network: string): Promise<NetworkHolder[]> {
  const listed = await engineCall(engine, ['ps', '--quiet', '--no-trunc', '--filter', `network=${network}`]);
  checkOk(engine, listed, `cannot list the containers on network ${network}`);
  const ids = printedLines(listed.stdout);
  // One inspect per container, so that one podman cannot inspect (gone meanwhile, or left
  // half-attached by a refused connect) hides no other; it holds nothing itself.
  const holders = await Promise.all(ids.map(async (id) => {
    const inspected = await engineCall(engine, ['container', 'inspect', '--', id]);
    if (isUnreachable(inspected)) throw unreachable(engine, inspected);
    const item = firstObject(inspected.stdout);
    if (item === undefined) return [];
    const settings = asRecord(asRecord(asRecord(item['NetworkSettings'])?.['Networks'])?.[network]);
    return [holder(text(item['Name']), id, text(settings?.['IPAddress']), text(settings?.['GlobalIPv6Address']))];
  }));
  return holders.flat();
}

function holder(container: string, id: string, ipv4: string, ipv6: string): NetworkHolder {
  const v4 = canonicalAddress(ipv4);
  const v6 = canonicalAddress(ipv6);
  return { container: container.replace(/^\//, ''), id, ...(v4 === '' ? {} : { ipv4: v4 }), ...(v6 === '' ? {} : { ipv6: v6 }) };
}

/** `2001:0DB8:0::/112` → `2001:db8::/112`; text that is no address is only lower-cased. */
function canonicalCidr(cidr: string): string {
  const slash = cidr.indexOf('/');
  if (slash < 0) return canonicalAddress(cidr);
  return `${canonicalAddress(cidr.slice(0, slash))}${cidr.slice(slash)}`;
}

/** One address without its prefix, canonical. */
function canonicalAddress(withPrefix: string): string {
  const address = withPrefix.split('/')[0]?.trim() ?? '';
  return parseIpAddress(address)?.address ?? address.toLowerCase();
}

function checkOk(engine: Engine, result: EngineResult, what: string): void {
  if (result.exitCode !== 0) throw engineFailure(engine, result, what, 'network.inspect-failed');
}






function present(values: readonly string[]): string[] {
  return values.filter((value) => value !== '');
}

