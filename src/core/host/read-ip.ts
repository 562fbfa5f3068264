import { formatSubnet, parseIpAddress, readSubnetText, type IpFamily, type Subnet } from '../ip.js';
import type { Checker } from './checker.js';
import { label, valueAt, type Path } from './data-path.js';
import { text } from './host-data.js';

// The schema only knows these are strings; here one becomes a canonical address of its family, or a problem.
export function readAddress(checker: Checker, path: Path, family: IpFamily): string | undefined {
  const raw = text(valueAt(checker.data, path));
  if (raw === undefined) return undefined;
  const where = label(path);
  const problem = (message: string): undefined => {
    checker.report(path, 'host.invalid-address', `${where}: ${message}`);
    return undefined;
  };
  if (raw.includes('/')) return problem(`"${raw}" must be a single address, without /prefix`);
  if (raw.includes('%')) return problem(`"${raw}" must not carry a zone (%...)`);
  const ip = parseIpAddress(raw);
  if (ip === undefined) return problem(`"${raw}" is not an ${familyName(family)} address`);
  if (ip.family !== family) {
    return problem(`${raw} is an ${familyName(ip.family)} address; give it as ${otherFamilyKey(String(path.at(-1)))}`);
  }
  return ip.address;
}

// Likewise for a subnet, which must also carry a prefix and no host bits.
export function readSubnet(checker: Checker, path: Path, family: IpFamily): Subnet | undefined {
  const raw = text(valueAt(checker.data, path));
  if (raw === undefined) return undefined;
  const where = label(path);
  const problem = (message: string, code = 'host.invalid-subnet'): undefined => {
    checker.report(path, code, `${where}: ${message}`);
    return undefined;
  };
  const example = family === 6 ? '2001:db8:1::/64' : '192.0.2.0/24';
  const slash = raw.indexOf('/');
  if (slash < 0) return problem(`"${raw}" needs a /prefix, e.g. ${example}`);
  const ip = parseIpAddress(raw.slice(0, slash));
  if (ip === undefined) return problem(`"${raw}" is not an ${familyName(family)} subnet (ADDRESS/PREFIX, e.g. ${example})`);
  if (ip.family !== family) {
    return problem(`${raw} is an ${familyName(ip.family)} subnet; give it as ${otherFamilyKey(String(path.at(-1)))}`);
  }
  const read = readSubnetText(raw);
  if (read.ok) return read.subnet;
  if (read.problem === 'host-bits') {
    return problem(`${raw} has host bits set; the subnet is ${formatSubnet(read.subnet)}`, 'host.subnet-host-bits');
  }
  return problem(`"${raw}" has an invalid prefix (0 to ${family === 6 ? 128 : 32})`);
}

/** `subnet6` ↔ `subnet4`, `ipv6` ↔ `ipv4`, `gateway6` ↔ `gateway4`. */
function otherFamilyKey(key: string): string {
  return key.endsWith('6') ? `${key.slice(0, -1)}4` : `${key.slice(0, -1)}6`;
}

function familyName(family: IpFamily): string {
  return family === 6 ? 'IPv6' : 'IPv4';
}
