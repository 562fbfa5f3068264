import { parseIpAddress, subnetContains, type IpAddress } from '../ip.js';
import type { HostSections } from '../needs/kinds/index.js';
import type { HostNetwork } from '../needs/kinds/network.js';
import type { NeedKindName } from '../needs/need.js';

// Each kind's module defines what its section's entries are; they are named here with the file they belong to.
export type { HostAddress } from '../needs/kinds/address.js';
export type { HostNetwork } from '../needs/kinds/network.js';
export type { HostVolume, VolumeSource } from '../needs/kinds/volume.js';

/** An argument vector; the first element is an absolute path. */
export type Argv = readonly [string, ...string[]];

/** Every kind of need may have a `providers.KIND` for names the file does not declare. */
export type ProviderKind = NeedKindName;

// A record, so that the compiler asks where a new kind goes; its keys are the order in which
// the providers section is read and `berth doctor` shows it.
const PROVIDER_ORDER: Readonly<Record<ProviderKind, true>> = { volume: true, address: true, network: true };

/** Every kind of `providers.KIND`, in the host file's order. */
export const PROVIDER_KINDS = Object.keys(PROVIDER_ORDER) as readonly ProviderKind[];

// Likewise for the kinds' sections: the order of the sections in the schema (and in the messages
// that list the known keys), and the order in which they are read.
const SECTION_ORDER: Readonly<Record<NeedKindName, true>> = { network: true, address: true, volume: true };

/** Every kind with a section of the host file, in the schema's order. */
export const SECTION_KINDS = Object.keys(SECTION_ORDER) as readonly NeedKindName[];

export type HostProviders = { readonly [kind in ProviderKind]?: Argv };

/**
 * A host file, validated: every name, address and path in it has been checked. Each kind's
 * section (`networks`, `addresses`, `volumes`) is a map by name of what the kind's reader gives.
 */
export interface HostConfig extends HostSections {
  readonly file: string;
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
