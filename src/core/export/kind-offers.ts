import { findNetworkForAddress, formatSubnet, parseIpAddress, type IpAddress } from '../host/host-config.js';
import type { AddressNeed, NetworkNeed, VolumeNeed } from '../needs/need.js';
import type { ExportContext, NodeOffer } from './offer.js';

export function exportAddress(need: AddressNeed, context: ExportContext): NodeOffer {
  const { host } = context.node;
  if (need.ref.type === 'name') {
    const entry = host.addresses.get(need.ref.name);
    if (!entry) return miss(`address "${need.ref.name}" is not declared under addresses: in ${host.file}`, 'declare it there (an export runs no providers)');
    if (!context.mayClaim(entry.images)) return miss(`address "${entry.name}" in ${host.file} may only be claimed by images matching ${patterns(entry.images)}`, `add a pattern to images: of ${entry.name}`);
    const network = host.networks.get(entry.network);
    if (!network) return miss(`address "${entry.name}" names network ${entry.network}, which ${host.file} does not declare`, `declare ${entry.network} under networks:`);
    const addresses = [entry.ipv6, entry.ipv4].flatMap((text) => (text === undefined ? [] : [parseIpAddress(text)].filter((ip): ip is IpAddress => ip !== undefined)));
    return { ok: true, part: { type: 'attach', network, addresses }, relies: [{ section: 'addresses', name: entry.name }, { section: 'networks', name: network.name }] };
  }
  const literal = need.ref;
  const network = findNetworkForAddress(host, literal.address);
  if (!network) return miss(`no network in ${host.file} has a subnet containing ${literal.address}`, 'declare a network whose subnet contains it under networks:');
  const subnet = literal.family === 6 ? network.subnet6 : network.subnet4;
  if (literal.prefix !== undefined && subnet && literal.prefix !== subnet.prefix) {
    return miss(`the image asks for ${literal.address}/${literal.prefix}, but network ${network.name} in ${host.file} is ${formatSubnet(subnet)}`, 'the prefix must match the network that holds the address');
  }
  const named = [...host.addresses.values()].find((entry) => entry.ipv6 === literal.address || entry.ipv4 === literal.address);
  if (named && !context.mayClaim(named.images)) {
    return miss(`${literal.address} is the address of "${named.name}" in ${host.file}, which only images matching ${patterns(named.images)} may claim`, `add a pattern to images: of ${named.name}`);
  }
  return {
    ok: true,
    part: { type: 'attach', network, addresses: [{ family: literal.family, address: literal.address }] },
    relies: [...(named ? [{ section: 'addresses' as const, name: named.name }] : []), { section: 'networks', name: network.name }],
  };
}

export function exportNetwork(need: NetworkNeed, context: ExportContext): NodeOffer {
  const { host } = context.node;
  const network = host.networks.get(need.name);
  if (!network) return miss(`network "${need.name}" is not declared under networks: in ${host.file}`, 'declare it there (an export runs no providers)');
  return { ok: true, part: { type: 'attach', network, addresses: [] }, relies: [{ section: 'networks', name: network.name }] };
}

export function exportVolume(need: VolumeNeed, context: ExportContext): NodeOffer {
  const { host } = context.node;
  const volume = host.volumes.get(need.name);
  if (!volume) return miss(`volume "${need.name}" is not declared under volumes: in ${host.file}`, 'declare it there (an export runs no providers)');
  return { ok: true, part: { type: 'mount', volume, target: need.target, readOnly: volume.readOnly || need.mode === 'ro' }, relies: [{ section: 'volumes', name: volume.name }] };
}

function miss(problem: string, fix: string): NodeOffer {
  return { ok: false, problem, fix };
}

function patterns(list: readonly string[] | undefined): string {
  return list && list.length > 0 ? list.map((p) => `"${p}"`).join(', ') : '(no image)';
}
