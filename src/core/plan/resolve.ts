import { Address6 } from 'ip-address';
import { declaredSubnets, hasDeclaredSubnets } from '../host/engine-subnets.js';
import { findNetworkForAddress, formatSubnet, type HostConfig, type HostNetwork } from '../host/host-config.js';
import type { AddressNeed, Need, NetworkNeed, VolumeNeed } from '../needs/need.js';
import { needId, needName } from '../needs/need.js';
import { GATEWAY_MODE_IPV6, type EngineNetwork, type WorldFacts } from './facts.js';
import { imageAllowed } from './image-patterns.js';
import type {
  Attachment, ImageIdentity, MountPlan, NdpEntry, ProviderCall, Resolution, ResolutionRow, Unmet,
} from './resolution.js';

export interface ResolveInput {
  readonly image: ImageIdentity;
  readonly needs: readonly Need[];
  readonly host: HostConfig;
  readonly facts: WorldFacts;
  /** Needs whose provider already ran, by need id, with the failure when it failed. */
  readonly providersRun?: ReadonlyMap<string, { readonly failure?: string }>;
}

interface Draft {
  readonly attachments: Map<string, { network: HostNetwork; ipv6?: string; ipv4?: string; owners: Map<4 | 6, Need> }>;
  readonly mounts: Map<string, { mount: MountPlan; need: Need }>;
  readonly rows: ResolutionRow[];
  readonly unmet: Unmet[];
  readonly warnings: string[];
}

/**
 * Decides, for every need of an image, what on this host meets it, in one pass and before
 * anything is created; lists every need that cannot be met.
 */
export function resolveNeeds(input: ResolveInput): Resolution {
  const draft: Draft = { attachments: new Map(), mounts: new Map(), rows: [], unmet: [], warnings: [] };
  for (const need of input.needs) {
    if (need.kind === 'address') resolveAddress(need, input, draft);
    else if (need.kind === 'volume') resolveVolume(need, input, draft);
    else resolveNetwork(need, input, draft);
  }
  const attachments: Attachment[] = [];
  const ndp: NdpEntry[] = [];
  for (const { network, ipv6, ipv4, owners } of draft.attachments.values()) {
    const engine = input.facts.networks.get(network.name);
    const ready = checkEngineNetwork(network, engine, input, draft, owners);
    if (!ready) continue;
    attachments.push({ network, create: engine === undefined, ...(ipv6 ? { ipv6 } : {}), ...(ipv4 ? { ipv4 } : {}) });
    if (ipv6 && network.ndpProxy) {
      const fact = input.facts.interfaces.get(network.ndpProxy);
      const owner = owners.get(6);
      if (owner && !fact?.exists) {
        unmet(draft, owner, `network ${network.name} answers neighbour discovery on ${network.ndpProxy}, but there is no interface ${network.ndpProxy}`, `fix ndp-proxy: for ${network.name} in ${input.host.file}`);
      } else if (owner && !fact?.proxyNdp) {
        unmet(draft, owner, `network ${network.name} needs NDP proxying on ${network.ndpProxy}, but net.ipv6.conf.${network.ndpProxy}.proxy_ndp is 0`, `run: sysctl -w net.ipv6.conf.${network.ndpProxy}.proxy_ndp=1`);
      } else ndp.push({ address: ipv6, iface: network.ndpProxy });
    }
  }
  const base = { rows: draft.rows, unmet: draft.unmet, warnings: draft.warnings };
  if (draft.unmet.length > 0) return base;
  const mounts = [...draft.mounts.values()].map((m) => m.mount);
  return { ...base, plan: { attachments, mounts, ndp } };
}

function resolveAddress(need: AddressNeed, input: ResolveInput, draft: Draft): void {
  const { host, image } = input;
  if (need.ref.type === 'name') {
    const entry = host.addresses.get(need.ref.name);
    if (!entry) {
      const provider = host.providers.address;
      unmet(draft, need, `address "${need.ref.name}" is not provided by ${host.file}`, 'add it under addresses:, or give the host an address provider (providers: address:)', provider ? fallback('address', need.ref.name, provider) : undefined, input);
      return;
    }
    if (!imageAllowed(entry.images, image)) {
      unmet(draft, need, `address "${entry.name}" may only be claimed by images matching ${formatPatterns(entry.images)}, and ${image.ref} does not`, `run an allowed image, or add a pattern to images: of ${entry.name} in ${host.file}`);
      return;
    }
    const network = host.networks.get(entry.network);
    if (!network) {
      unmet(draft, need, `address "${entry.name}" names network ${entry.network}, which ${host.file} does not declare`, `declare ${entry.network} under networks:`);
      return;
    }
    const placed = [entry.ipv6, entry.ipv4].filter((a): a is string => a !== undefined);
    for (const address of placed) attach(draft, network, address, need, input);
    draft.rows.push({ kind: 'address', name: entry.name, result: `${placed.join(' and ')} on network ${network.name}` });
    return;
  }
  const literal = need.ref;
  const network = findNetworkForAddress(host, literal.address);
  if (!network) {
    unmet(draft, need, `no network in ${host.file} has a subnet containing ${literal.address}`, 'declare a network whose subnet contains it under networks:');
    return;
  }
  const subnet = literal.family === 6 ? network.subnet6 : network.subnet4;
  if (literal.prefix !== undefined && subnet && literal.prefix !== subnet.prefix) {
    unmet(draft, need, `the image asks for ${literal.address}/${literal.prefix}, but network ${network.name} is ${formatSubnet(subnet)}`, 'the prefix must match the network the host routes that address to');
    return;
  }
  const named = [...host.addresses.values()].find((entry) => entry.ipv6 === literal.address || entry.ipv4 === literal.address);
  if (named && !imageAllowed(named.images, image)) {
    unmet(draft, need, `${literal.address} is the address of "${named.name}", which only images matching ${formatPatterns(named.images)} may claim`, `run an allowed image, or add a pattern to images: of ${named.name} in ${host.file}`);
    return;
  }
  attach(draft, network, literal.address, need, input);
  draft.rows.push({ kind: 'address', name: literal.address, result: `literal, on network ${network.name}` });
}

function attach(draft: Draft, network: HostNetwork, address: string, need: Need, input: ResolveInput): void {
  const family = address.includes(':') ? 6 : 4;
  const slot = draft.attachments.get(network.name) ?? { network, owners: new Map<4 | 6, Need>() };
  draft.attachments.set(network.name, slot);
  const current = family === 6 ? slot.ipv6 : slot.ipv4;
  if (current !== undefined && current !== address) {
    const other = slot.owners.get(family);
    unmet(draft, need, `the container would get two IPv${family} addresses on network ${network.name}: ${current}${other ? ` (${describeNeed(other)})` : ''} and ${address}`, 'a container has one address per family on a network: drop one of the needs, or put the addresses on different networks');
    return;
  }
  const holder = input.facts.networks.get(network.name)?.holders.find((h) => h.ipv6 === address || h.ipv4 === address);
  if (holder) {
    const state = holder.stopped === undefined ? '' : ` (${holder.stopped}: a container that exists holds its address, running or not)`;
    unmet(draft, need, `${address} on network ${network.name} is held by container ${holder.container}${state}`, `upgrade it in place with berth run --replace ${holder.container} ..., or remove it with berth rm ${holder.container}`);
    return;
  }
  if (family === 6) slot.ipv6 = address;
  else slot.ipv4 = address;
  slot.owners.set(family, need);
  if (family === 6 && isGlobalUnicast(address) && gatewayModeIpv6(network, input) === 'nat') {
    draft.warnings.push(`${address} is a global address, but network ${network.name} NATs IPv6 (gateway mode nat), so it is not reachable from outside as itself; set options: ${GATEWAY_MODE_IPV6}: routed for ${network.name}`);
  }
}

function resolveNetwork(need: NetworkNeed, input: ResolveInput, draft: Draft): void {
  const network = input.host.networks.get(need.name);
  if (!network) {
    const provider = input.host.providers.network;
    unmet(draft, need, `network "${need.name}" is not provided by ${input.host.file}`, 'add it under networks:, or give the host a network provider (providers: network:)', provider ? fallback('network', need.name, provider) : undefined, input);
    return;
  }
  if (!draft.attachments.has(network.name)) draft.attachments.set(network.name, { network, owners: new Map() });
  draft.rows.push({ kind: 'network', name: need.name, result: `join ${network.name}` });
}

function resolveVolume(need: VolumeNeed, input: ResolveInput, draft: Draft): void {
  const { host, facts } = input;
  const entry = host.volumes.get(need.name);
  if (!entry) {
    const provider = host.providers.volume;
    unmet(draft, need, `volume "${need.name}" is not provided by ${host.file}`, 'add it under volumes:, or give it a provider', provider ? fallback('volume', need.name, provider) : undefined, input);
    return;
  }
  const provider: ProviderCall | undefined = entry.provider ? { kind: 'volume', name: entry.name, argv: entry.provider, fallback: false } : undefined;
  let mount: MountPlan;
  if (entry.type === 'bind') {
    const fact = facts.directories.get(entry.source);
    if (!fact?.ok) {
      unmet(draft, need, `volume "${need.name}": ${entry.source} ${fact?.reason ?? 'was not looked at'}`, `create the directory${provider ? '' : ', or give the volume a provider'}`, provider, input);
      return;
    }
    if (/[,\n\r"]/.test(fact.realPath)) {
      unmet(draft, need, `volume "${need.name}": ${fact.realPath} contains a comma, quote or newline, which cannot be passed to --mount safely`, 'use a directory whose path has none of these');
      return;
    }
    mount = { type: 'bind', source: fact.realPath, target: need.target, readOnly: entry.readOnly || need.mode === 'ro' };
  } else {
    if (facts.volumes.get(entry.volume) !== true) {
      unmet(draft, need, `volume "${need.name}": ${cli(input)} volume ${entry.volume} does not exist (berth never creates it silently)`, `create it (${cli(input)} volume create ${entry.volume})${provider ? '' : ', or give the volume a provider'}`, provider, input);
      return;
    }
    mount = { type: 'volume', source: entry.volume, target: need.target, readOnly: entry.readOnly || need.mode === 'ro' };
  }
  const clash = draft.mounts.get(need.target);
  if (clash) {
    unmet(draft, need, `volumes "${needName(clash.need)}" and "${need.name}" are both to be mounted at ${need.target}`, 'the image must mount one volume per target');
    return;
  }
  draft.mounts.set(need.target, { mount, need });
  draft.rows.push({ kind: 'volume', name: need.name, result: `${mount.type === 'bind' ? mount.source : `${cli(input)} volume ${mount.source}`} at ${mount.target}${mount.readOnly ? ' (ro)' : ''}` });
}

// An engine network must have exactly the host entry's subnets for the families the entry declares.
function checkEngineNetwork(network: HostNetwork, found: EngineNetwork | undefined, input: ResolveInput, draft: Draft, owners: Map<4 | 6, Need>): boolean {
  if (!found) return true;
  const owner = owners.get(6) ?? owners.get(4) ?? input.needs.find((n) => n.kind === 'network' && n.name === network.name);
  const wanted = declaredSubnets(network).map(formatSubnet);
  if (!hasDeclaredSubnets(network, found.subnets) && owner) {
    unmet(draft, owner, `network ${network.name} exists in the engine with subnets ${found.subnets.join(', ') || '(none)'}, but ${input.host.file} says ${wanted.join(', ')}`, `berth never changes an existing network: fix the host file, or remove the network (${cli(input)} network rm ${network.name})`);
    return false;
  }
  if (network.subnet6 && !found.ipv6 && owner) {
    unmet(draft, owner, `network ${network.name} exists in the engine without IPv6`, `berth never changes an existing network: remove it (${cli(input)} network rm ${network.name}) so berth creates it with IPv6`);
    return false;
  }
  return true;
}

function gatewayModeIpv6(network: HostNetwork, input: ResolveInput): string {
  const engine = input.facts.networks.get(network.name);
  const mode = network.options.get(GATEWAY_MODE_IPV6) ?? engine?.options[GATEWAY_MODE_IPV6];
  return mode ?? (input.facts.ipv6NatByDefault ? 'nat' : 'routed');
}

function isGlobalUnicast(address: string): boolean {
  return new Address6(address).isInSubnet(new Address6('2000::/3'));
}

function cli(input: ResolveInput): string {
  return input.facts.engine ?? 'docker';
}

function unmet(draft: Draft, need: Need, problem: string, fix: string, provider?: ProviderCall, input?: ResolveInput): void {
  const run = input?.providersRun?.get(needId(need));
  if (run && provider) {
    const after = run.failure ?? 'its provider succeeded, but it is still missing';
    draft.unmet.push({ need, problem: `${problem}; ${after}`, fix: run.failure ? 'fix the provider, or provide the resource by hand' : fix });
    return;
  }
  draft.unmet.push({ need, problem, fix, ...(provider ? { provider } : {}) });
}

function fallback(kind: ProviderCall['kind'], name: string, argv: ProviderCall['argv']): ProviderCall {
  return { kind, name, argv, fallback: true };
}

function formatPatterns(patterns: readonly string[] | undefined): string {
  return patterns && patterns.length > 0 ? patterns.map((p) => `"${p}"`).join(', ') : '(no image)';
}

function describeNeed(need: Need): string {
  return `${need.kind} ${needName(need)}`;
}
