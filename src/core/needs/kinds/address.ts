import { findNetworkForAddress, type HostAddress, type HostConfig, type HostNetwork } from '../../host/host-config.js';
import { formatIp, formatSubnet, looksLikeIp, parseIp, type IpAddress, type IpLiteral } from '../../ip.js';
import { canonicalIp, hostNameProblem, isInterfaceName } from '../../containers/label-values.js';
import type { HeldAddress } from '../../containers/run-labels.js';
import { clip, isName, nameProblem } from '../grammar.js';
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
  held: {
    fields: ['host', 'network', 'ipv6', 'ipv4', 'ndp-proxy'],
    record(need, hostName, host, plan) {
      const entry = need.ref.type === 'name' ? host.addresses.get(hostName) : undefined;
      const wanted = entry ? [entry.ipv6, entry.ipv4] : [need.ref.type === 'literal' ? need.ref.address : hostName];
      const has = (address: string | undefined) => address !== undefined && wanted.includes(address);
      const attachment = plan.attachments.find((a) => has(a.ipv6) || has(a.ipv4));
      if (!attachment) return undefined;
      const ipv6 = has(attachment.ipv6) ? attachment.ipv6 : undefined;
      const ipv4 = has(attachment.ipv4) ? attachment.ipv4 : undefined;
      const ndpProxy = plan.ndp.find((e) => e.address === ipv6)?.iface;
      return {
        kind: 'address', need: need.ref.type === 'name' ? need.ref.name : need.ref.address, network: attachment.network.name,
        ...(entry ? { host: entry.name } : {}),
        ...(ipv6 === undefined ? {} : { ipv6 }),
        ...(ipv4 === undefined ? {} : { ipv4 }),
        ...(ndpProxy === undefined ? {} : { ndpProxy }),
      };
    },
    encode(held) {
      return {
        ...(held.host === undefined ? {} : { host: held.host }),
        network: held.network,
        ...(held.ipv6 === undefined ? {} : { ipv6: held.ipv6 }),
        ...(held.ipv4 === undefined ? {} : { ipv4: held.ipv4 }),
        ...(held.ndpProxy === undefined ? {} : { 'ndp-proxy': held.ndpProxy }),
      };
    },
    decode(name, fields) {
      const { host, network, ipv6, ipv4 } = fields;
      const ndpProxy = fields['ndp-proxy'];
      const literal = canonicalIp(name);
      if (literal === undefined) {
        const problem = hostNameProblem(host);
        if (problem) return problem;
      } else if (host !== undefined) return 'value names a host entry for a literal address';
      if (network === undefined || !isName(network)) return `value's network ${network === undefined ? 'is missing' : `"${clip(network)}" is not a valid name`}`;
      if (ipv6 === undefined && ipv4 === undefined) return 'value has neither "ipv6" nor "ipv4"';
      if (ipv6 !== undefined && canonicalIp(ipv6, 6) !== ipv6) return `value's ipv6 "${clip(ipv6)}" is not a canonical IPv6 address`;
      if (ipv4 !== undefined && canonicalIp(ipv4, 4) !== ipv4) return `value's ipv4 "${clip(ipv4)}" is not a canonical IPv4 address`;
      if (literal !== undefined && literal !== ipv6 && literal !== ipv4) return `value does not hold the literal address ${literal} its key names`;
      if (ndpProxy !== undefined && ipv6 === undefined) return 'value has "ndp-proxy" without "ipv6"';
      if (ndpProxy !== undefined && !isInterfaceName(ndpProxy)) return `value's ndp-proxy "${clip(ndpProxy)}" is not an interface name`;
      return {
        kind: 'address', need: name, network,
        ...(host === undefined ? {} : { host }),
        ...(ipv6 === undefined ? {} : { ipv6 }),
        ...(ipv4 === undefined ? {} : { ipv4 }),
        ...(ndpProxy === undefined ? {} : { ndpProxy }),
      };
    },
    describe(held) {
      return `${[held.ipv6, held.ipv4].filter((a) => a !== undefined).join(' and ')} on ${held.network}`;
    },
    mismatch(held, container) {
      const label = `label berth.run.address.${held.need}`;
      const attached = container.networks.find((n) => n.name === held.network);
      if (!attached) return [`${label} says it is on network ${held.network}, but the container is not`];
      // A stopped podman container shows no addresses at all: only one it shows can disagree.
      const wrong = (['ipv6', 'ipv4'] as const).filter((family) => held[family] !== undefined && attached[family] !== undefined && held[family] !== attached[family]);
      return wrong.map((family) => `${label} says ${held[family] ?? ''} on ${held.network}, but the container has ${attached[family] ?? ''} there`);
    },
    drift(held, host) {
      return addressDrift(held, host);
    },
    network(held) {
      return held.network;
    },
    rebind(need, host) {
      return need.ref.type === 'name' ? { ...need, ref: { type: 'name', name: host } } : undefined;
    },
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

// What changed in the host file for a recorded address: its entry, its network, the interface answering NDP for it.
function addressDrift(held: HeldAddress, host: HostConfig): string[] {
  const then = [held.ipv6, held.ipv4].filter((a) => a !== undefined).join(' and ');
  if (held.host !== undefined) {
    const entry = host.addresses.get(held.host);
    if (!entry) return [`address ${held.host} is no longer in ${host.file}`];
    const now = [entry.ipv6, entry.ipv4].filter((a) => a !== undefined).join(' and ');
    if (entry.network !== held.network || now !== then) return [`address ${held.host} is now ${now} on ${entry.network} in ${host.file}, the container holds ${then} on ${held.network}`];
  } else {
    const network = findNetworkForAddress(host, held.need);
    if (network?.name !== held.network) return [`${held.need} is ${network ? `now on network ${network.name}` : 'on no network'} in ${host.file}, the container holds it on ${held.network}`];
  }
  const network = host.networks.get(held.network);
  if (!network || held.ipv6 === undefined || network.ndpProxy === held.ndpProxy) return [];
  const now = network.ndpProxy === undefined ? 'answers NDP on no interface' : `answers NDP on ${network.ndpProxy}`;
  return [`network ${held.network} now ${now} in ${host.file}, berth kept an entry ${held.ndpProxy === undefined ? 'on none' : `on ${held.ndpProxy}`} for ${held.ipv6}`];
}
