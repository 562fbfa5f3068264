import { type HostAddress, type HostNetwork } from './host-config.js';
import { formatSubnet, subnetContains, type IpFamily } from '../ip.js';
import type { Checker } from './checker.js';
import { label, valueAt, type Path } from './data-path.js';
import { entries, text } from './host-data.js';
import { readAddress } from './read-ip.js';

// The addresses section as checked addresses: each on a declared network, inside its subnet, held by one name.
export function readAddresses(checker: Checker, networks: ReadonlyMap<string, HostNetwork>): Map<string, HostAddress> {
  const addresses = new Map<string, HostAddress>();
  const holders = new Map<string, HostAddress>();
  for (const [name, raw] of entries(checker.data['addresses'])) {
    const base = ['addresses', name] as const;
    const networkName = text(raw['network']);
    const network = networkName === undefined ? undefined : networks.get(networkName);
    if (networkName !== undefined && network === undefined) {
      const path = [...base, 'network'];
      checker.report(path, 'host.unknown-network', `${label(path)}: there is no network "${networkName}" under networks:`);
    }
    const ipv6 = readAddress(checker, [...base, 'ipv6'], 6);
    const ipv4 = readAddress(checker, [...base, 'ipv4'], 4);
    const images = raw['images'];
    const address: HostAddress = {
      name,
      network: networkName ?? '',
      ...(ipv6 === undefined ? {} : { ipv6 }),
      ...(ipv4 === undefined ? {} : { ipv4 }),
      ...(Array.isArray(images) ? { images: images.map(String) } : {}),
      at: checker.locate(base, 'key'),
    };
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
    addresses.set(name, address);
  }
  return addresses;
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
