// Free subnets for tests that create engine networks: a documentation /28 that nothing the engine
// refuses to overlap already uses, the addresses inside it, and whole sites for host files.
import { Address4 } from 'ip-address';
import { docker, dockerOk, type Engine } from './engine.js';
import { docAddress6, docSubnet4, docSubnet6, ip } from './netns.js';

/** A network of a host file, with subnets no other network uses, and a container's addresses on it. */
export interface Site {
  readonly network: string;
  readonly subnet6: string;
  readonly ipv6: string;
  readonly subnet4?: string;
  readonly ipv4?: string;
}

/** What a new subnet must not overlap. */
export interface SubnetsInUse {
  /** The engine whose networks are in the way. */
  readonly engine: Engine;
  /** Also every IPv4 route of the host (podman refuses a subnet a route already covers). */
  readonly hostRoutes?: boolean;
}

/** The site `network`: a random IPv6 /112 and its `::20`, and with `ipv4` also a free /28 and its `.4`. */
export async function freeSite(network: string, ipv4?: SubnetsInUse): Promise<Site> {
  const subnet6 = docSubnet6();
  const site = { network, subnet6, ipv6: docAddress6(subnet6, 0x20) };
  if (ipv4 === undefined) return site;
  const subnet4 = await freeSubnet4(ipv4);
  return { ...site, subnet4, ipv4: address4(subnet4, 4) };
}

/** A random /28 of the documentation ranges that overlaps none of the subnets `inUse` names. */
export async function freeSubnet4(inUse: SubnetsInUse): Promise<string> {
  const used = [...(await engineSubnets4(inUse.engine)), ...(inUse.hostRoutes ? await hostRoutes4() : [])];
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = docSubnet4();
    if (!used.some((cidr) => overlap4(cidr, candidate))) return candidate;
  }
  const users = inUse.hostRoutes ? `${inUse.engine} networks and host routes` : `${inUse.engine} networks`;
  throw new Error(`no free documentation /28 left; ${users} use ${used.join(', ')}`);
}

/** Address number `n` of an IPv4 subnet: `address4('192.0.2.16/28', 4)` = `192.0.2.20`. */
export function address4(subnet: string, n: number): string {
  const [base = ''] = subnet.split('/');
  return Address4.fromBigInt(new Address4(base).bigInt() + BigInt(n)).correctForm();
}

/** True when the two IPv4 prefixes (or addresses) share an address. */
function overlap4(a: string, b: string): boolean {
  const [first, second] = [new Address4(a), new Address4(b)];
  return first.isInSubnet(second) || second.isInSubnet(first);
}

/** The IPv4 subnets of every network `engine` has now. */
async function engineSubnets4(engine: Engine): Promise<string[]> {
  if (engine === 'podman') {
    const listed = await docker(['network', 'ls', '--format', '{{range .Subnets}}{{.Subnet}} {{end}}'], { engine });
    return ipv4Only(listed.stdout.split(/\s+/));
  }
  const ids = (await dockerOk(['network', 'ls', '--quiet'], { engine })).split('\n').map((id) => id.trim()).filter((id) => id !== '');
  // Networks removed meanwhile make inspect fail, but the others are still printed.
  const inspected = await docker(['network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', ...ids], { engine });
  return ipv4Only(inspected.stdout.split(/\s+/));
}

/** The destinations of the host's IPv4 routes, in every table. */
async function hostRoutes4(): Promise<string[]> {
  const routes = await ip(['-4', 'route', 'show', 'table', 'all']);
  return ipv4Only(routes.stdout.split('\n').map((line) => line.split(' ')[0] ?? ''));
}

function ipv4Only(words: readonly string[]): string[] {
  return words.filter((word) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(word));
}
