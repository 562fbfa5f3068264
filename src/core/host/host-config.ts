import { parseIpAddress, subnetContains, type IpAddress, type Subnet } from '../ip.js';
import type { NeedKindName } from '../needs/need.js';
import type { Position } from '../problem.js';

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
  | {
      readonly type: 'bind';
      readonly source: string;
      /** False (`follow-symlinks: false`): refuse the source when any part of its path is a symbolic link. */
      readonly followSymlinks: boolean;
    }
  | {
      readonly type: 'docker-volume';
      readonly volume: string;
      /** Let the engine copy the image's files at the target into the volume while it is empty (`copy-up: true`); off by default. */
      readonly copyUp: boolean;
    };

export type HostVolume = VolumeSource & {
  readonly name: string;
  /** Always mounted read-only, whatever the image asks. */
  readonly readOnly: boolean;
  /** Runs when the volume is missing, to make it exist. */
  readonly provider?: Argv;
  readonly at: Position;
};

/** Every kind of need may have a `providers.KIND` for names the file does not declare. */
export type ProviderKind = NeedKindName;

// A record, so that the compiler asks where a new kind goes; its keys are the order in which
// the providers section is read and `berth doctor` shows it.
const PROVIDER_ORDER: Readonly<Record<ProviderKind, true>> = { volume: true, address: true, network: true };

/** Every kind of `providers.KIND`, in the host file's order. */
export const PROVIDER_KINDS = Object.keys(PROVIDER_ORDER) as readonly ProviderKind[];

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
