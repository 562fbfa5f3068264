import { skippedWithoutHost, where, type Check } from '../../doctor/check.js';
import type { DoctorFacts, EngineFacts, InterfaceFacts } from '../../doctor/checks.js';
import type { Checker } from '../../host/checker.js';
import { label, valueAt, type Path } from '../../host/data-path.js';
import { compareEngineNetwork, declaredSubnets, subnetClashes } from '../../host/engine-subnets.js';
import type { HostConfig } from '../../host/host-config.js';
import { isRecord, text, type Data } from '../../host/host-data.js';
import { readAddress, readSubnet } from '../../host/read-ip.js';
import { ipv6SysctlKey, proxyNdpCommand } from '../../host/sysctl.js';
import { formatSubnet, subnetContains, type IpFamily, type Subnet } from '../../ip.js';
import type { Position } from '../../problem.js';
import { nameProblem } from '../grammar.js';
import { hostNameProblem } from '../../containers/label-values.js';
import type { HostEntry, HostSection, NeedKind } from '../kind.js';
import type { Origin } from '../need.js';

export interface NetworkNeed {
  readonly kind: 'network';
  readonly name: string;
  readonly origin: Origin;
}

/** One entry of the host file's `networks:` section, as read. */
export interface HostNetwork {
  readonly name: string;
  readonly subnet6?: Subnet;
  /** Canonical IPv6 address inside `subnet6`. */
  readonly gateway6?: string;
  readonly subnet4?: Subnet;
  readonly gateway4?: string;
  /** Host interface on which berth answers neighbour discovery for this network's addresses. */
  readonly ndpProxy?: string;
  /** Docker network driver options (`-o KEY=VALUE`), in file order. */
  readonly options: ReadonlyMap<string, string>;
  /** Where the entry's name stands in the host file. */
  readonly at: Position;
}

// One entry of the host file's `networks:` section, as JSON Schema.
const networkEntry = {
  description:
    'A Docker network berth creates when it does not exist (docker network create --ipv6 --subnet ...). An existing network with other subnets is an error; berth never changes or removes it.',
  type: 'object',
  additionalProperties: false,
  properties: {
    subnet6: {
      description: 'IPv6 subnet, ADDRESS/PREFIX without host bits, e.g. 2001:db8:1::8888:0/112.',
      type: 'string',
    },
    gateway6: {
      description: 'IPv6 gateway inside subnet6. Optional: Docker picks one when absent.',
      type: 'string',
      format: 'ipv6',
    },
    subnet4: {
      description: 'IPv4 subnet, ADDRESS/PREFIX without host bits, e.g. 192.0.2.0/24.',
      type: 'string',
    },
    gateway4: {
      description: 'IPv4 gateway inside subnet4. Optional: Docker picks one when absent.',
      type: 'string',
      format: 'ipv4',
    },
    'ndp-proxy': {
      description:
        'Host interface on which berth answers IPv6 neighbour discovery for the addresses of this network (ip -6 neigh replace proxy ADDR dev IF). Needs net.ipv6.conf.IF.proxy_ndp=1.',
      type: 'string',
      pattern: '^(?!\\.\\.?$)[^\\s/:]{1,15}$',
    },
    options: {
      description: 'Docker network driver options, passed as -o KEY=VALUE when berth creates the network.',
      type: 'object',
      propertyNames: { pattern: '^[^=]+$' },
      additionalProperties: { type: 'string' },
    },
  },
  anyOf: [{ required: ['subnet6'] }, { required: ['subnet4'] }],
} as const;

/** `NEED network NAME`: join the host's network NAME; Docker picks the address. */
export const networkKind: NeedKind<NetworkNeed, HostSection<'networks', HostNetwork>> = {
  kind: 'network',
  usage: 'NAME',
  hostSection: {
    key: 'networks',
    help: 'Docker networks, by name.',
    what: 'Network',
    entry: networkEntry,
    providerHelp: 'Provides undeclared networks; prints {"subnet6": ...} on stdout.',
    read: readNetwork,
    write: writeNetwork,
  },
  parse(args, origin) {
    if (args.length !== 1) {
      return { ok: false, message: `network takes exactly one NAME, got ${args.length}`, argument: Math.min(args.length, 1) };
    }
    const name = args[0] ?? '';
    const problem = nameProblem(name, 'network name');
    if (problem) return { ok: false, message: problem, argument: 0 };
    return { ok: true, need: { kind: 'network', name, origin } };
  },
  format(need) {
    return [need.name];
  },
  json(need) {
    return { kind: 'network', name: need.name };
  },
  details() {
    return 'join; Docker picks the address';
  },
  unprovided(need, host) {
    return host.networks.has(need.name) || host.providers.network ? undefined : 'is not declared under networks:';
  },
  touches(need) {
    return { networks: [need.name], volumes: [], directories: [] };
  },
  claims(need) {
    return { networks: [need.name], mountTargets: [] };
  },
  resolve(need, context) {
    const network = context.host.networks.get(need.name);
    if (!network) {
      const provider = context.host.providers.network;
      context.unmet(need, `network "${need.name}" is not provided by ${context.host.file}`, 'add it under networks:, or give the host a network provider (providers: network:)', provider ? { kind: 'network', name: need.name, argv: provider, fallback: true } : undefined);
      return;
    }
    context.attach(network, need);
    context.row(need, need.name, `join ${network.name}`);
  },
  export(need, { node: { host } }) {
    const network = host.networks.get(need.name);
    if (!network) return { ok: false, problem: `network "${need.name}" is not declared under networks: in ${host.file}`, fix: 'declare it there (an export runs no providers)' };
    return { ok: true, part: { type: 'attach', network, addresses: [] }, relies: [{ section: 'networks', name: network.name }] };
  },
  doctor: { checks: hostChecks, providers: () => [] },
  held: {
    fields: ['host'],
    record(need, hostName, _host, plan) {
      return plan.attachments.some((a) => a.network.name === hostName) ? { kind: 'network', need: need.name, host: hostName } : undefined;
    },
    encode(held) {
      return { host: held.host };
    },
    decode(name, { host }) {
      const problem = hostNameProblem(host);
      return problem ?? { kind: 'network', need: name, host: host ?? '' };
    },
    describe(held) {
      return `network ${held.host}`;
    },
    mismatch(held, container) {
      return container.networks.some((n) => n.name === held.host) ? [] : [`label berth.run.network.${held.need} says it is on network ${held.host}, but the container is not`];
    },
    drift(held, host) {
      return host.networks.has(held.host) ? [] : [`network ${held.host} is no longer in ${host.file}`];
    },
    network(held) {
      return held.host;
    },
    rebind(need, host) {
      return { ...need, name: host };
    },
  },
};

// One network entry, each subnet and gateway checked; whether subnets overlap is a rule between entries.
function readNetwork({ name, data, path, at, checker }: HostEntry): HostNetwork {
  const subnet6 = readSubnet(checker, [...path, 'subnet6'], 6);
  const gateway6 = readGateway(checker, path, 6, subnet6);
  const subnet4 = readSubnet(checker, [...path, 'subnet4'], 4);
  const gateway4 = readGateway(checker, path, 4, subnet4);
  const ndpProxy = text(data['ndp-proxy']);
  const options = Object.entries(isRecord(data['options']) ? data['options'] : {}).map(([k, v]) => [k, String(v)] as const);
  return {
    name,
    ...(subnet6 === undefined ? {} : { subnet6 }),
    ...(gateway6 === undefined ? {} : { gateway6 }),
    ...(subnet4 === undefined ? {} : { subnet4 }),
    ...(gateway4 === undefined ? {} : { gateway4 }),
    ...(ndpProxy === undefined ? {} : { ndpProxy }),
    options: new Map(options),
    at,
  };
}

function writeNetwork(network: HostNetwork): Data {
  return {
    ...(network.subnet6 ? { subnet6: formatSubnet(network.subnet6) } : {}),
    ...(network.gateway6 ? { gateway6: network.gateway6 } : {}),
    ...(network.subnet4 ? { subnet4: formatSubnet(network.subnet4) } : {}),
    ...(network.gateway4 ? { gateway4: network.gateway4 } : {}),
    ...(network.ndpProxy ? { 'ndp-proxy': network.ndpProxy } : {}),
    ...(network.options.size > 0 ? { options: Object.fromEntries(network.options) } : {}),
  };
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

// Each network as the engine has it, and what the host must do for the networks' IPv6: forward it,
// answer neighbour discovery on the ndp-proxy interfaces, filter it with ip6tables.
function hostChecks(host: HostConfig | undefined, facts: DoctorFacts): Check[] {
  if (host === undefined) {
    return [
      skippedWithoutHost('networks', facts.host),
      forwardingCheck(facts.ipv6Forwarding, undefined),
      skippedWithoutHost('ndp-proxy', facts.host),
      ip6tablesCheck(facts.ip6tables),
    ];
  }
  return [
    ...[...host.networks.values()].map((network) => networkCheck(network, host, facts.engine)),
    forwardingCheck(facts.ipv6Forwarding, host),
    ...ndpChecks(host, facts.interfaces),
    ip6tablesCheck(facts.ip6tables),
  ];
}

function networkCheck(network: HostNetwork, host: HostConfig, engine: EngineFacts): Check {
  const title = `network ${network.name}`;
  if (engine.state !== 'reachable') return { ok: 'skipped', title, detail: 'skipped: the engine is not reachable' };
  const found = engine.networks.get(network.name);
  if (found === undefined) return absentNetworkCheck(title, network, engine);
  const declared = declaredSubnets(network).map(formatSubnet);
  const verdict = compareEngineNetwork(network, found);
  const has = found.subnets.join(', ') || 'no subnet';
  const remove = `${engine.name} network rm ${network.name}`;
  if (verdict === 'other-subnets') {
    return {
      ok: false,
      title,
      detail: `exists with ${has}, but ${host.file} says ${declared.join(', ')}`,
      fix: `berth never changes an existing network: correct its entry (${where(network.at)}), or remove the network (${remove})`,
    };
  }
  if (verdict === 'no-ipv6') {
    return {
      ok: false,
      title,
      detail: `exists with ${has}, but without IPv6`,
      fix: `berth never changes an existing network: remove it (${remove}) so that berth run creates it with IPv6`,
    };
  }
  return { ok: true, title, detail: `exists with ${has}` };
}

function absentNetworkCheck(title: string, network: HostNetwork, engine: Extract<EngineFacts, { state: 'reachable' }>): Check {
  const others = [...engine.networks].map(([name, other]) => ({ name, subnets: other.subnets }));
  const found = subnetClashes(network, others);
  const clashes = found.map(({ subnet, cidr, network: name }) => `${formatSubnet(subnet)} overlaps ${cidr} of network ${name}`);
  const inTheWay = new Set(found.map((clash) => clash.network));
  const subnets = declaredSubnets(network).map(formatSubnet).join(', ');
  if (clashes.length === 0) return { ok: true, title, detail: `absent; will be created by berth run (${subnets})` };
  return {
    ok: false,
    title,
    detail: `absent, and berth run cannot create it: ${clashes.join('; ')}`,
    fix: `give it subnets no engine network uses (${where(network.at)}), or remove what is in the way (${engine.name} network rm ${[...inTheWay].join(' ')})`,
  };
}

const FORWARDING = 'net.ipv6.conf.all.forwarding';

function forwardingCheck(on: boolean, host: HostConfig | undefined): Check {
  const title = 'IPv6 forwarding';
  if (on) return { ok: true, title, detail: `on (${FORWARDING} = 1)` };
  const ipv6 = host === undefined || [...host.networks.values()].some((network) => network.subnet6 !== undefined);
  if (!ipv6) return { ok: true, title, detail: `off; not needed, as no network declares subnet6` };
  return {
    ok: false,
    title,
    detail: `off (${FORWARDING} = 0): containers' IPv6 addresses are unreachable from outside`,
    fix: `sysctl -w ${FORWARDING}=1 (and put "${FORWARDING} = 1" in /etc/sysctl.d/ to keep it)`,
  };
}

function ndpChecks(host: HostConfig, interfaces: ReadonlyMap<string, InterfaceFacts>): Check[] {
  const users = new Map<string, HostNetwork[]>();
  for (const network of host.networks.values()) {
    if (network.ndpProxy === undefined) continue;
    users.set(network.ndpProxy, [...(users.get(network.ndpProxy) ?? []), network]);
  }
  return [...users].map(([iface, networks]) => {
    const title = `ndp-proxy ${iface}`;
    const names = `network${networks.length === 1 ? '' : 's'} ${networks.map((network) => network.name).join(', ')}`;
    const facts = interfaces.get(iface) ?? { state: 'unknown', reason: 'not looked at' };
    const key = ipv6SysctlKey(iface, 'proxy_ndp');
    switch (facts.state) {
      case 'missing':
        return {
          ok: false,
          title,
          detail: `interface ${iface} (for ${names}) does not exist`,
          fix: `create it, or set ndp-proxy to an existing interface (ip link) at ${networks.map((network) => where(network.at)).join(', ')}`,
        };
      case 'unknown':
        return { ok: false, title, detail: `cannot look up interface ${iface}: ${facts.reason}`, fix: 'make "ip link" work (apt-get install -y iproute2)' };
      case 'present':
        if (facts.proxyNdp === true) return { ok: true, title, detail: `for ${names}; proxy_ndp is on` };
        if (facts.proxyNdp === false) {
          return {
            ok: false,
            title,
            detail: `for ${names}; proxy_ndp is off, so nothing answers neighbour discovery for ${networks.length === 1 ? 'its' : 'their'} addresses`,
            fix: `${proxyNdpCommand(iface)} (and put "${key} = 1" in /etc/sysctl.d/ to keep it)`,
          };
        }
        return {
          ok: false,
          title,
          detail: `for ${names}; ${iface} has no IPv6 settings (IPv6 is off on it)`,
          fix: `enable IPv6 on ${iface} (sysctl -w ${ipv6SysctlKey(iface, 'disable_ipv6')}=0), then ${proxyNdpCommand(iface)}`,
        };
    }
  });
}

function ip6tablesCheck(path: string | undefined): Check {
  const title = 'ip6tables';
  if (path !== undefined) return { ok: true, title, detail: path };
  return {
    ok: false,
    title,
    detail: 'not found: the engine cannot filter or NAT IPv6 without it',
    fix: 'apt-get install -y iptables',
  };
}
