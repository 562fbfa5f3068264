import { Address4, Address6 } from 'ip-address';
import type { Position } from '../problem.js';

export type IpFamily = 4 | 6;

/** An IP address in canonical text: RFC 5952 for IPv6 (`2001:db8::20`), dotted quad for IPv4. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly address: string;
}

/** A subnet without host bits; `address` is its canonical network address. */
export interface Subnet {
  readonly family: IpFamily;
  readonly address: string;
  readonly prefix: number;
}

/** An argument vector; the first element is an absolute path. */
export type Argv = readonly [string, ...string[]];

export interface HostNetwork {
  readonly name: string;
  readonly subnet6?: Subnet;
  /** Canonical IPv6 address inside `subnet6`. */
  readonly gateway6?: string;
  readonly subnet4?: Subnet;
  readonly gateway4?: string;
  /** Host interface on which berth answers neighbour discovery for this network's addresses. */
  readonly ndpProxy?: string;
  /** Docker network driver options (`-o KEY=VALUE`), in file order. */
  readonly options: ReadonlyMap<string, string>;
  /** Where the entry's name stands in the host file. */
  readonly at: Position;
}

export interface HostAddress {
  readonly name: string;
  /** Name of a declared network. */
  readonly network: string;
  /** Canonical, inside the network's `subnet6`. */
  readonly ipv6?: string;
  /** Canonical, inside the network's `subnet4`. */
  readonly ipv4?: string;
  /** Glob patterns of the images that may claim the address; absent: any image may. */
  readonly images?: readonly string[];
  readonly at: Position;
}

/** Where a volume's data lives: a host directory or a Docker named volume. */
export type VolumeSource =
  | { readonly type: 'bind'; readonly source: string }
  | { readonly type: 'docker-volume'; readonly volume: string };

export type HostVolume = VolumeSource & {
  readonly name: string;
  /** Always mounted read-only, whatever the image asks. */
  readonly readOnly: boolean;
  /** Runs when the volume is missing, to make it exist. */
  readonly provider?: Argv;
  readonly at: Position;
};

export type ProviderKind = 'volume' | 'address' | 'network';

export type HostProviders = { readonly [kind in ProviderKind]?: Argv };

/** A host file, validated: every name, address and path in it has been checked. */
export interface HostConfig {
  readonly file: string;
  readonly networks: ReadonlyMap<string, HostNetwork>;
  readonly addresses: ReadonlyMap<string, HostAddress>;
  readonly volumes: ReadonlyMap<string, HostVolume>;
  /** Providers for names the file does not declare, by kind. */
  readonly providers: HostProviders;
  readonly providerTimeoutSeconds: number;
}

export const DEFAULT_PROVIDER_TIMEOUT_SECONDS = 60;

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function bigIntOf(family: IpFamily, address: string): bigint {
  return family === 6 ? new Address6(address).bigInt() : new Address4(address).bigInt();
}

function hostBits(family: IpFamily, prefix: number): bigint {
  return BigInt(BITS[family] - prefix);
}

/** One canonical form for every address (no `/prefix`, no `%zone`), so that comparing addresses is comparing strings. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes('/') || text.includes('%')) return undefined;
  if (Address4.isValid(text)) return { family: 4, address: new Address4(text).correctForm() };
  if (Address6.isValid(text)) return { family: 6, address: new Address6(text).correctForm() };
  return undefined;
}

/** Parses `ADDRESS/PREFIX`, refusing host bits (usually a typo) rather than silently dropping them. */
export function parseSubnet(text: string): Subnet | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIpAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > BITS[ip.family]) return undefined;
  const subnet: Subnet = { family: ip.family, address: ip.address, prefix };
  return networkAddress(subnet) === ip.address ? subnet : undefined;
}

/** The address with the host bits cleared: what a subnet written with host bits should have said. */
export function networkAddress(subnet: Subnet): string {
  const shift = hostBits(subnet.family, subnet.prefix);
  const value = (bigIntOf(subnet.family, subnet.address) >> shift) << shift;
  return subnet.family === 6
    ? Address6.fromBigInt(value).correctForm()
    : Address4.fromBigInt(value).correctForm();
}

/** `2001:db8::/112`, the form messages and `docker network create --subnet` want. */
export function formatSubnet(subnet: Subnet): string {
  return `${subnet.address}/${subnet.prefix}`;
}

/** Validation and resolution both ask whether an address (IpAddress or text) lies in a subnet; one answer for both. */
export function subnetContains(subnet: Subnet, address: IpAddress | string): boolean {
  const ip = typeof address === 'string' ? parseIpAddress(address) : address;
  if (ip === undefined || ip.family !== subnet.family) return false;
  const shift = hostBits(subnet.family, subnet.prefix);
  return (
    bigIntOf(ip.family, ip.address) >> shift === bigIntOf(subnet.family, subnet.address) >> shift
  );
}

/** Two networks may not share addresses: true when the subnets have at least one address in common. */
export function subnetsOverlap(a: Subnet, b: Subnet): boolean {
  if (a.family !== b.family) return false;
  const wider = a.prefix <= b.prefix ? a : b;
  const narrower = wider === a ? b : a;
  return subnetContains(wider, { family: narrower.family, address: narrower.address });
}

/** A literal address in an image names no network: the host network whose subnet holds it, if any (they never overlap). */
export function findNetworkForAddress(
  config: HostConfig,
  address: IpAddress | string,
): HostNetwork | undefined {
  const ip = typeof address === 'string' ? parseIpAddress(address) : address;
  if (ip === undefined) return undefined;
  for (const network of config.networks.values()) {
    const subnet = ip.family === 6 ? network.subnet6 : network.subnet4;
    if (subnet !== undefined && subnetContains(subnet, ip)) return network;
  }
  return undefined;
}
