import { formatSubnet, subnetContains, subnetsOverlap, type IpFamily } from '../ip.js';
import type { Checker } from './checker.js';
import { label, valueAt, type Path } from './data-path.js';
import type { HostAddress, HostNetwork } from './host-config.js';
import { text } from './host-data.js';

/** The sections the rules between entries look at, as their kinds read them. */
export interface CrossSectionInput {
  readonly networks: ReadonlyMap<string, HostNetwork>;
  readonly addresses: ReadonlyMap<string, HostAddress>;
}

/**
 * The rules that span entries or sections, once every section is read: no two networks'
 * subnets overlap; each address is on a declared network, inside its subnet and not its
 * gateway; no address belongs to two names.
 */
export function checkAcrossSections({ networks, addresses }: CrossSectionInput, checker: Checker): void {
  checkOverlaps(networks, checker.report);
  const holders = new Map<string, HostAddress>();
  for (const address of addresses.values()) {
    const base = ['addresses', address.name] as const;
    const networkName = text(valueAt(checker.data, [...base, 'network']));
    const network = networkName === undefined ? undefined : networks.get(networkName);
    if (networkName !== undefined && network === undefined) {
      const path = [...base, 'network'];
      checker.report(path, 'host.unknown-network', `${label(path)}: there is no network "${networkName}" under networks:`);
    }
    for (const family of [6, 4] as const) {
      const ip = address[`ipv${family}`];
      if (ip === undefined) continue;
      const path = [...base, `ipv${family}`];
      const holder = holders.get(ip);
      if (holder === undefined) holders.set(ip, address);
      else {
        checker.report(
          path,
          'host.duplicate-address',
          `${label(path)}: ${ip} is already the address of "${holder.name}" (line ${holder.at.line})`,
        );
      }
      if (network !== undefined) checkOnNetwork(checker, path, ip, family, network);
    }
  }
}

function checkOverlaps(networks: ReadonlyMap<string, HostNetwork>, report: Checker['report']): void {
  const seen: HostNetwork[] = [];
  for (const network of networks.values()) {
    for (const family of [6, 4] as const) {
      const key = `subnet${family}` as const;
      const subnet = network[key];
      if (subnet === undefined) continue;
      const other = seen.find((o) => o[key] !== undefined && subnetsOverlap(o[key], subnet));
      if (other?.[key] === undefined) continue;
      const path = ['networks', network.name, key];
      report(
        path,
        'host.overlapping-subnets',
        `${label(path)}: ${formatSubnet(subnet)} overlaps ${formatSubnet(other[key])} of network "${other.name}" (line ${other.at.line})`,
      );
    }
    seen.push(network);
  }
}

function checkOnNetwork(checker: Checker, path: Path, ip: string, family: IpFamily, network: HostNetwork): void {
  const subnet = network[`subnet${family}`];
  if (valueAt(checker.data, ['networks', network.name, `subnet${family}`]) === undefined) {
    checker.report(
      path,
      'host.network-lacks-family',
      `${label(path)}: network "${network.name}" has no subnet${family} (add one to it, or remove ipv${family})`,
    );
  } else if (subnet !== undefined && !subnetContains(subnet, ip)) {
    checker.report(
      path,
      'host.address-outside-subnet',
      `${label(path)}: ${ip} is outside subnet${family} ${formatSubnet(subnet)} of network "${network.name}"`,
    );
  } else if (ip === network[`gateway${family}`]) {
    checker.report(path, 'host.address-is-gateway', `${label(path)}: ${ip} is the gateway of network "${network.name}"`);
  }
}
