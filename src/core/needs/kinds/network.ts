import { nameProblem } from '../grammar.js';
import { hostNameProblem } from '../../containers/label-values.js';
import type { NeedKind } from '../kind.js';
import type { Origin } from '../need.js';

export interface NetworkNeed {
  readonly kind: 'network';
  readonly name: string;
  readonly origin: Origin;
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
export const networkKind: NeedKind<NetworkNeed> = {
  kind: 'network',
  usage: 'NAME',
  hostSection: {
    key: 'networks',
    help: 'Docker networks, by name.',
    what: 'Network',
    entry: networkEntry,
    providerHelp: 'Provides undeclared networks; prints {"subnet6": ...} on stdout.',
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
