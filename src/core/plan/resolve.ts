import { compareEngineNetwork, declaredSubnets } from '../host/engine-subnets.js';
import { ipv6SysctlKey, proxyNdpCommand } from '../host/sysctl.js';
import type { HostConfig, HostNetwork } from '../host/host-config.js';
import { formatSubnet, isGlobalUnicast, type IpAddress } from '../ip.js';
import type { ResolveContext } from '../needs/kind.js';
import { kindOf } from '../needs/kinds/index.js';
import { needId, needName, type Need } from '../needs/need.js';
import { imageAllowed } from './image-patterns.js';
import { GATEWAY_MODE_IPV6, type EngineNetwork, type WorldState } from './world-state.js';
import type {
  Attachment, ImageIdentity, MountPlan, NdpEntry, ProviderCall, Resolution, ResolutionRow, Unmet,
} from './resolution.js';

export interface ResolveInput {
  readonly image: ImageIdentity;
  readonly needs: readonly Need[];
  readonly host: HostConfig;
  readonly world: WorldState;
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
 * anything is created; lists every need that cannot be met. Each kind resolves its own needs
 * (`NeedKind.resolve`); the rules between needs are here.
 */
export function resolveNeeds(input: ResolveInput): Resolution {
  const draft: Draft = { attachments: new Map(), mounts: new Map(), rows: [], unmet: [], warnings: [] };
  const context: ResolveContext = {
    host: input.host,
    world: input.world,
    image: input.image,
    cli: cli(input),
    mayClaim: (patterns) => imageAllowed(patterns, input.image),
    attach: (network, need, address) => attach(draft, network, need, address, input),
    mount: (mount, need) => placeMount(draft, mount, need),
    row: (need, name, result) => draft.rows.push({ kind: need.kind, name, result }),
    unmet: (need, problem, fix, provider) => unmet(draft, need, problem, fix, provider, input),
  };
  for (const need of input.needs) kindOf(need).resolve(need, context);
  const attachments: Attachment[] = [];
  const ndp: NdpEntry[] = [];
  for (const { network, ipv6, ipv4, owners } of draft.attachments.values()) {
    const engine = input.world.networks.get(network.name);
    const ready = checkEngineNetwork(network, engine, input, draft, owners);
    if (!ready) continue;
    attachments.push({ network, create: engine === undefined, ...(ipv6 ? { ipv6 } : {}), ...(ipv4 ? { ipv4 } : {}) });
    if (ipv6 && network.ndpProxy) {
      const state = input.world.interfaces.get(network.ndpProxy);
      const owner = owners.get(6);
      if (owner && !state?.exists) {
        unmet(draft, owner, `network ${network.name} answers neighbour discovery on ${network.ndpProxy}, but there is no interface ${network.ndpProxy}`, `fix ndp-proxy: for ${network.name} in ${input.host.file}`);
      } else if (owner && !state?.proxyNdp) {
        unmet(draft, owner, `network ${network.name} needs NDP proxying on ${network.ndpProxy}, but ${ipv6SysctlKey(network.ndpProxy, 'proxy_ndp')} is 0`, `run: ${proxyNdpCommand(network.ndpProxy)}`);
      } else ndp.push({ address: ipv6, iface: network.ndpProxy });
    }
  }
  const base = { rows: draft.rows, unmet: draft.unmet, warnings: draft.warnings };
  if (draft.unmet.length > 0) return base;
  const mounts = [...draft.mounts.values()].map((m) => m.mount);
  return { ...base, plan: { attachments, mounts, ndp } };
}

// A container has one address per family on a network, and no address another container holds.
function attach(draft: Draft, network: HostNetwork, need: Need, ip: IpAddress | undefined, input: ResolveInput): void {
  const slot = draft.attachments.get(network.name) ?? { network, owners: new Map<4 | 6, Need>() };
  draft.attachments.set(network.name, slot);
  if (ip === undefined) return;
  const { family, address } = ip;
  const current = family === 6 ? slot.ipv6 : slot.ipv4;
  if (current !== undefined && current !== address) {
    const other = slot.owners.get(family);
    unmet(draft, need, `the container would get two IPv${family} addresses on network ${network.name}: ${current}${other ? ` (${describeNeed(other)})` : ''} and ${address}`, 'a container has one address per family on a network: drop one of the needs, or put the addresses on different networks');
    return;
  }
  const holder = input.world.networks.get(network.name)?.holders.find((h) => h.ipv6 === address || h.ipv4 === address);
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

// One volume per target.
function placeMount(draft: Draft, mount: MountPlan, need: Need): boolean {
  const clash = draft.mounts.get(mount.target);
  if (clash) {
    unmet(draft, need, `volumes "${needName(clash.need)}" and "${needName(need)}" are both to be mounted at ${mount.target}`, 'the image must mount one volume per target');
    return false;
  }
  draft.mounts.set(mount.target, { mount, need });
  return true;
}

// An engine network must have exactly the host entry's subnets for the families the entry declares.
function checkEngineNetwork(network: HostNetwork, found: EngineNetwork | undefined, input: ResolveInput, draft: Draft, owners: Map<4 | 6, Need>): boolean {
  if (!found) return true;
  const owner = owners.get(6) ?? owners.get(4) ?? input.needs.find((n) => n.kind === 'network' && n.name === network.name);
  const wanted = declaredSubnets(network).map(formatSubnet);
  const verdict = compareEngineNetwork(network, found);
  if (verdict === 'other-subnets' && owner) {
    unmet(draft, owner, `network ${network.name} exists in the engine with subnets ${found.subnets.join(', ') || '(none)'}, but ${input.host.file} says ${wanted.join(', ')}`, `berth never changes an existing network: fix the host file, or remove the network (${cli(input)} network rm ${network.name})`);
    return false;
  }
  if (verdict === 'no-ipv6' && owner) {
    unmet(draft, owner, `network ${network.name} exists in the engine without IPv6`, `berth never changes an existing network: remove it (${cli(input)} network rm ${network.name}) so berth creates it with IPv6`);
    return false;
  }
  return true;
}

function gatewayModeIpv6(network: HostNetwork, input: ResolveInput): string {
  const engine = input.world.networks.get(network.name);
  const mode = network.options.get(GATEWAY_MODE_IPV6) ?? engine?.options[GATEWAY_MODE_IPV6];
  return mode ?? (input.world.ipv6NatByDefault ? 'nat' : 'routed');
}

function cli(input: ResolveInput): string {
  return input.world.engine ?? 'docker';
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

function describeNeed(need: Need): string {
  return `${need.kind} ${needName(need)}`;
}
