import type { HostNetwork } from '../../host/host-config.js';
import type { RunPlan } from '../../plan/resolution.js';
import type { PortablePart } from '../offer.js';

/** How a service joins one network: at fixed addresses, or wherever the engine puts it (`{}`). */
export interface ComposeNetworkJoin {
  readonly ipv6_address?: string;
  readonly ipv4_address?: string;
}

/** A mount in compose's long syntax, which never creates a missing bind source. */
export type ComposeMount =
  | { readonly type: 'bind'; readonly source: string; readonly target: string; readonly read_only: boolean }
  | { readonly type: 'volume'; readonly source: string; readonly target: string; readonly read_only: boolean; readonly volume?: { readonly nocopy: true } };

/** What a service's needs add to it, and the top-level entries those additions name. */
export interface ComposeParts {
  readonly networks: Readonly<Record<string, ComposeNetworkJoin>>;
  readonly volumes: readonly ComposeMount[];
  /** Host networks the service joins, each once: external to compose, made by berth. */
  readonly externalNetworks: readonly HostNetwork[];
  /** Docker volumes the service mounts, each once: external to compose. */
  readonly externalVolumes: readonly string[];
}

// The compose specification's pattern for network, volume and service keys.
const COMPOSE_KEY = /^[a-zA-Z0-9._-]+$/;

/** Whether compose accepts `name` as a key of `services:`, `networks:` or `volumes:`. */
export function isComposeKey(name: string): boolean {
  return COMPOSE_KEY.test(name);
}

/** Turns the parts of an image's needs into compose's terms; shared by `berth export --to compose` and `berth compose`. */
export function composeParts(parts: readonly PortablePart[]): ComposeParts {
  const networks: Record<string, ComposeNetworkJoin> = {};
  const volumes: ComposeMount[] = [];
  const externalNetworks: HostNetwork[] = [];
  const externalVolumes: string[] = [];
  for (const part of parts) {
    if (part.type === 'attach') {
      const join: { ipv6_address?: string; ipv4_address?: string } = { ...networks[part.network.name] };
      for (const ip of part.addresses) {
        if (ip.family === 6) join.ipv6_address = ip.address;
        else join.ipv4_address = ip.address;
      }
      networks[part.network.name] = join;
      if (!externalNetworks.some((n) => n.name === part.network.name)) externalNetworks.push(part.network);
      continue;
    }
    const { volume } = part;
    if (volume.type === 'bind') {
      volumes.push({ type: 'bind', source: volume.source, target: part.target, read_only: part.readOnly });
      continue;
    }
    volumes.push({ type: 'volume', source: volume.volume, target: part.target, read_only: part.readOnly, ...(volume.copyUp ? {} : { volume: { nocopy: true } }) });
    if (!externalVolumes.includes(volume.volume)) externalVolumes.push(volume.volume);
  }
  return { networks, volumes, externalNetworks, externalVolumes };
}

/** The parts as the plan `berth run` would carry out on this host, for the record its containers carry. */
export function partsPlan(parts: readonly PortablePart[]): RunPlan {
  const attachments: RunPlan['attachments'][number][] = [];
  const mounts: RunPlan['mounts'][number][] = [];
  const ndp: RunPlan['ndp'][number][] = [];
  for (const part of parts) {
    if (part.type === 'mount') {
      const { volume } = part;
      mounts.push(volume.type === 'bind'
        ? { type: 'bind', source: volume.source, target: part.target, readOnly: part.readOnly }
        : { type: 'volume', source: volume.volume, target: part.target, readOnly: part.readOnly, copyUp: volume.copyUp });
      continue;
    }
    const ipv6 = part.addresses.find((ip) => ip.family === 6)?.address;
    const ipv4 = part.addresses.find((ip) => ip.family === 4)?.address;
    attachments.push({ network: part.network, create: false, ...(ipv6 ? { ipv6 } : {}), ...(ipv4 ? { ipv4 } : {}) });
    if (ipv6 && part.network.ndpProxy) ndp.push({ address: ipv6, iface: part.network.ndpProxy });
  }
  return { attachments, mounts, ndp };
}
