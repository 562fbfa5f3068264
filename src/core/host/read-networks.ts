import { type HostNetwork } from './host-config.js';
import { formatSubnet, subnetContains, subnetsOverlap, type IpFamily, type Subnet } from '../ip.js';
import type { Checker } from './checker.js';
import { label, valueAt, type Path } from './data-path.js';
import { entries, isRecord, text } from './host-data.js';
import { readAddress, readSubnet } from './read-ip.js';

// The networks section as checked networks, in file order; each subnet's and gateway's problems reported.
export function readNetworks(checker: Checker): Map<string, HostNetwork> {
  const networks = new Map<string, HostNetwork>();
  for (const [name, raw] of entries(checker.data['networks'])) {
    const base = ['networks', name] as const;
    const subnet6 = readSubnet(checker, [...base, 'subnet6'], 6);
    const gateway6 = readGateway(checker, base, 6, subnet6);
    const subnet4 = readSubnet(checker, [...base, 'subnet4'], 4);
    const gateway4 = readGateway(checker, base, 4, subnet4);
    const ndpProxy = text(raw['ndp-proxy']);
    const options = Object.entries(isRecord(raw['options']) ? raw['options'] : {}).map(([k, v]) => [k, String(v)] as const);
    networks.set(name, {
      name,
      ...(subnet6 === undefined ? {} : { subnet6 }),
      ...(gateway6 === undefined ? {} : { gateway6 }),
      ...(subnet4 === undefined ? {} : { subnet4 }),
      ...(gateway4 === undefined ? {} : { gateway4 }),
      ...(ndpProxy === undefined ? {} : { ndpProxy }),
      options: new Map(options),
      at: checker.locate(base, 'key'),
    });
  }
  checkOverlaps(networks, checker.report);
  return networks;
}

function readGateway(checker: Checker, base: Path, family: IpFamily, subnet: Subnet | undefined): string | undefined {
  const path = [...base, `gateway${family}`];
  const gateway = readAddress(checker, path, family);
  if (gateway === undefined) return undefined;
  if (valueAt(checker.data, [...base, `subnet${family}`]) === undefined) {
    checker.report(path, 'host.gateway-without-subnet', `${label(path)} needs subnet${family} in the same network`);
  } else if (subnet !== undefined && !subnetContains(subnet, gateway)) {
    checker.report(
      path,
      'host.gateway-outside-subnet',
      `${label(path)}: ${gateway} is outside the network's subnet${family} ${formatSubnet(subnet)}`,
    );
  }
  return gateway;
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
