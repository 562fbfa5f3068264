import { findNetworkForAddress, type HostAddress, type HostConfig, type HostNetwork } from '../../host/host-config.js';
import { formatIp, formatSubnet, looksLikeIp, parseIp, type IpAddress, type IpLiteral } from '../../ip.js';
import { nameProblem } from '../grammar.js';
import type { NeedKind } from '../kind.js';
import type { Origin } from '../need.js';

/** An address need refers to a host entry by name, or is a literal address. */
export type AddressRef =
  | { readonly type: 'name'; readonly name: string }
  | ({ readonly type: 'literal' } & IpLiteral);

export interface AddressNeed {
  readonly kind: 'address';
  readonly ref: AddressRef;
  readonly origin: Origin;
}

// One entry of the host file's `addresses:` section, as JSON Schema.
const addressEntry = {
  description: 'A named address: images ask for the name, the host decides the IPv6 and/or IPv4 address.',
  type: 'object',
  additionalProperties: false,
  required: ['network'],
  properties: {
    network: {
      description: 'Name of the network (under networks:) whose subnet holds the address.',
      type: 'string',
    },
    ipv6: {
      description: "IPv6 address inside the network's subnet6, without /prefix.",
      type: 'string',
      format: 'ipv6',
    },
    ipv4: {
      description: "IPv4 address inside the network's subnet4, without /prefix.",
      type: 'string',
      format: 'ipv4',
    },
    images: {
      description:
        'Glob patterns of the images that may claim this address, matched against the image reference given to berth run and its repository digest. Absent: any image may.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
    },
  },
  anyOf: [{ required: ['ipv6'] }, { required: ['ipv4'] }],
} as const;

/** `NEED address REF`: a host-named address, or a literal IPv6/IPv4 address. */
export const addressKind: NeedKind<AddressNeed> = {
  kind: 'address',
  usage: 'NAME|IP[/PREFIX]',
  hostSection: {
    key: 'addresses',
    help: 'Named addresses, by name.',
    what: 'Address',
    entry: addressEntry,
    providerHelp: 'Provides undeclared addresses; prints {"network": ..., "ipv6": ...} on stdout.',
  },
  parse(args, origin) {
    if (args.length !== 1) {
      return { ok: false, message: `address takes exactly one NAME or IP address, got ${args.length}`, argument: Math.min(args.length, 1) };
    }
    const ref = args[0] ?? '';
    if (looksLikeIp(ref)) {
      const ip = parseIp(ref);
      if (!ip.ok) return { ok: false, message: ip.reason, argument: 0 };
      return { ok: true, need: { kind: 'address', ref: { type: 'literal', ...ip.value }, origin } };
    }
    const problem = nameProblem(ref, 'address name');
    if (problem) return { ok: false, message: `${problem}, nor an IP address`, argument: 0 };
    return { ok: true, need: { kind: 'address', ref: { type: 'name', name: ref }, origin } };
  },
  format(need) {
    return [need.ref.type === 'name' ? need.ref.name : formatIp(need.ref)];
  },
  json(need) {
    return need.ref.type === 'name'
      ? { kind: 'address', name: need.ref.name }
      : { kind: 'address', literal: formatIp(need.ref), family: need.ref.family === 6 ? 'ipv6' : 'ipv4' };
  },
  details(need) {
    return need.ref.type === 'name' ? 'named by the host' : `literal IPv${need.ref.family}${need.ref.prefix === undefined ? '' : `, /${need.ref.prefix}`}`;
  },
  unprovided(need, host) {
    if (need.ref.type === 'literal') return undefined;
    return host.addresses.has(need.ref.name) || host.providers.address ? undefined : 'is not declared under addresses: and has no provider';
  },
  touches(need, host) {
    return { networks: networkOf(need, host), volumes: [], directories: [] };
  },
  claims(need, host) {
    return { networks: networkOf(need, host), mountTargets: [] };
  },
  resolve(need, context) {
    const { host } = context;
    const placed = placeAddress(need, host, (patterns) => context.mayClaim(patterns), context.image.ref);
    if (!placed.ok) {
      if (!placed.undeclared) context.unmet(need, placed.problem, placed.fix);
      else {
        const name = formatIpOrName(need);
        const provider = host.providers.address;
        context.unmet(need, `address "${name}" is not provided by ${host.file}`, 'add it under addresses:, or give the host an address provider (providers: address:)', provider ? { kind: 'address', name, argv: provider, fallback: true } : undefined);
      }
      return;
    }
    for (const address of placed.addresses) context.attach(placed.network, need, address);
    if (need.ref.type === 'name') context.row(need, need.ref.name, `${placed.addresses.map((a) => a.address).join(' and ')} on network ${placed.network.name}`);
    else context.row(need, need.ref.address, `literal, on network ${placed.network.name}`);
  },
  export(need, context) {
    const { host } = context.node;
    const placed = placeAddress(need, host, (patterns) => context.mayClaim(patterns), context.image.ref);
    if (!placed.ok) {
      return placed.undeclared
        ? { ok: false, problem: `address "${formatIpOrName(need)}" is not declared under addresses: in ${host.file}`, fix: 'declare it there (an export runs no providers)' }
        : { ok: false, problem: placed.problem, fix: placed.fix };
    }
    return {
      ok: true,
      part: { type: 'attach', network: placed.network, addresses: placed.addresses },
      relies: [...(placed.named ? [{ section: 'addresses' as const, name: placed.named.name }] : []), { section: 'networks', name: placed.network.name }],
    };
  },
};

function formatIpOrName(need: AddressNeed): string {
  return need.ref.type === 'name' ? need.ref.name : need.ref.address;
}

// Where the host file puts an address need, judged from the file alone: the network and the
// addresses, or why not. berth run and berth export word an undeclared name each their own way.
type Placed =
  | { readonly ok: true; readonly network: HostNetwork; readonly addresses: readonly IpAddress[]; readonly named?: HostAddress }
  | { readonly ok: false; readonly undeclared: true }
  | { readonly ok: false; readonly undeclared?: false; readonly problem: string; readonly fix: string };

function placeAddress(need: AddressNeed, host: HostConfig, mayClaim: (patterns: readonly string[] | undefined) => boolean, image: string): Placed {
  if (need.ref.type === 'name') {
    const entry = host.addresses.get(need.ref.name);
    if (!entry) return { ok: false, undeclared: true };
    if (!mayClaim(entry.images)) {
      return { ok: false, problem: `address "${entry.name}" may only be claimed by images matching ${formatPatterns(entry.images)}, and ${image} does not`, fix: `run an allowed image, or add a pattern to images: of ${entry.name} in ${host.file}` };
    }
    const network = host.networks.get(entry.network);
    if (!network) return { ok: false, problem: `address "${entry.name}" names network ${entry.network}, which ${host.file} does not declare`, fix: `declare ${entry.network} under networks:` };
    const addresses: IpAddress[] = [
      ...(entry.ipv6 === undefined ? [] : [{ family: 6 as const, address: entry.ipv6 }]),
      ...(entry.ipv4 === undefined ? [] : [{ family: 4 as const, address: entry.ipv4 }]),
    ];
    return { ok: true, network, addresses, named: entry };
  }
  const literal = need.ref;
  const network = findNetworkForAddress(host, literal.address);
  if (!network) return { ok: false, problem: `no network in ${host.file} has a subnet containing ${literal.address}`, fix: 'declare a network whose subnet contains it under networks:' };
  const subnet = literal.family === 6 ? network.subnet6 : network.subnet4;
  if (literal.prefix !== undefined && subnet && literal.prefix !== subnet.prefix) {
    return { ok: false, problem: `the image asks for ${literal.address}/${literal.prefix}, but network ${network.name} is ${formatSubnet(subnet)}`, fix: 'the prefix must match the network the host routes that address to' };
  }
  const named = [...host.addresses.values()].find((entry) => entry.ipv6 === literal.address || entry.ipv4 === literal.address);
  if (named && !mayClaim(named.images)) {
    return { ok: false, problem: `${literal.address} is the address of "${named.name}", which only images matching ${formatPatterns(named.images)} may claim`, fix: `run an allowed image, or add a pattern to images: of ${named.name} in ${host.file}` };
  }
  return { ok: true, network, addresses: [{ family: literal.family, address: literal.address }], ...(named ? { named } : {}) };
}

// The network the address is on, as far as the host file says before anything is looked at.
function networkOf(need: AddressNeed, host: HostConfig): string[] {
  const network = need.ref.type === 'name' ? host.addresses.get(need.ref.name)?.network : findNetworkForAddress(host, need.ref.address)?.name;
  return network === undefined ? [] : [network];
}

function formatPatterns(patterns: readonly string[] | undefined): string {
  return patterns && patterns.length > 0 ? patterns.map((p) => `"${p}"`).join(', ') : '(no image)';
}
