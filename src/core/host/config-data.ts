import { formatSubnet } from '../ip.js';
import type { HostAddress, HostConfig, HostNetwork, HostVolume } from './host-config.js';
import type { Data } from './host-data.js';

/**
 * A checked host file back in the file's own form, so that more entries (a provider's) can be
 * merged into it and the whole checked again as the file is. Reading it gives the same config.
 */
export function configData(config: HostConfig): Data {
  const section = <T extends { readonly name: string }>(entries: ReadonlyMap<string, T>, form: (entry: T) => Data) =>
    Object.fromEntries([...entries.values()].map((entry) => [entry.name, form(entry)]));
  return {
    networks: section(config.networks, networkData),
    addresses: section(config.addresses, addressData),
    volumes: section(config.volumes, volumeData),
    providers: { ...config.providers },
    'provider-timeout': config.providerTimeoutSeconds,
  };
}

function networkData(network: HostNetwork): Data {
  return {
    ...(network.subnet6 ? { subnet6: formatSubnet(network.subnet6) } : {}),
    ...(network.gateway6 ? { gateway6: network.gateway6 } : {}),
    ...(network.subnet4 ? { subnet4: formatSubnet(network.subnet4) } : {}),
    ...(network.gateway4 ? { gateway4: network.gateway4 } : {}),
    ...(network.ndpProxy ? { 'ndp-proxy': network.ndpProxy } : {}),
    ...(network.options.size > 0 ? { options: Object.fromEntries(network.options) } : {}),
  };
}

function addressData(address: HostAddress): Data {
  return {
    network: address.network,
    ...(address.ipv6 ? { ipv6: address.ipv6 } : {}),
    ...(address.ipv4 ? { ipv4: address.ipv4 } : {}),
    ...(address.images ? { images: [...address.images] } : {}),
  };
}

function volumeData(volume: HostVolume): Data {
  return {
    ...(volume.type === 'bind'
      ? { source: volume.source, ...(volume.followSymlinks ? {} : { 'follow-symlinks': false }) }
      : { volume: volume.volume, ...(volume.copyUp ? { 'copy-up': true } : {}) }),
    ...(volume.readOnly ? { readonly: true } : {}),
    ...(volume.provider ? { provider: [...volume.provider] } : {}),
  };
}
