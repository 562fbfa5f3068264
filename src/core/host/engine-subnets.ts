import { type HostNetwork } from './host-config.js';
import { formatSubnet, readCidr, subnetsOverlap, type Subnet } from '../ip.js';

/** The subnets a network entry declares, IPv6 first. */
export function declaredSubnets(network: HostNetwork): Subnet[] {
  return [network.subnet6, network.subnet4].filter((subnet): subnet is Subnet => subnet !== undefined);
}

/**
 * Whether an engine network has exactly the entry's subnets, compared for the families the entry
 * declares: an engine may add one of another family (podman adds IPv4 to IPv6 networks).
 */
export function hasDeclaredSubnets(network: HostNetwork, engineSubnets: readonly string[]): boolean {
  const declared = declaredSubnets(network);
  const families = new Set(declared.map((subnet) => subnet.family));
  const existing = engineSubnets.flatMap((cidr) => {
    const subnet = readCidr(cidr);
    return subnet !== undefined && families.has(subnet.family) ? [formatSubnet(subnet)] : [];
  });
  const wanted = declared.map(formatSubnet);
  return existing.length === wanted.length && wanted.every((cidr) => existing.includes(cidr));
}

/**
 * How an existing engine network stands against its host entry: berth never changes an existing
 * network, so anything but `same` stops a container from joining it. `berth run` and `berth doctor`
 * both decide with this.
 */
export function compareEngineNetwork(
  network: HostNetwork,
  found: { readonly ipv6: boolean; readonly subnets: readonly string[] },
): 'same' | 'other-subnets' | 'no-ipv6' {
  if (!hasDeclaredSubnets(network, found.subnets)) return 'other-subnets';
  if (network.subnet6 !== undefined && !found.ipv6) return 'no-ipv6';
  return 'same';
}

/** A subnet of the entry that overlaps one of another engine network. */
export interface SubnetClash {
  readonly subnet: Subnet;
  readonly cidr: string;
  readonly network: string;
}

/** Where an entry's subnets overlap those of other engine networks: why the engine would refuse to create it. */
export function subnetClashes(
  network: HostNetwork,
  others: Iterable<{ readonly name: string; readonly subnets: readonly string[] }>,
): SubnetClash[] {
  const clashes: SubnetClash[] = [];
  const engineNetworks = [...others].filter((other) => other.name !== network.name);
  for (const subnet of declaredSubnets(network)) {
    for (const other of engineNetworks) {
      for (const cidr of other.subnets) {
        const taken = readCidr(cidr);
        if (taken !== undefined && subnetsOverlap(subnet, taken)) clashes.push({ subnet, cidr, network: other.name });
      }
    }
  }
  return clashes;
}
