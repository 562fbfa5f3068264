import { nameProblem } from '../grammar.js';
import type { NeedKind } from '../kind.js';
import type { Origin } from '../need.js';

export interface NetworkNeed {
  readonly kind: 'network';
  readonly name: string;
  readonly origin: Origin;
}

/** `NEED network NAME`: join the host's network NAME; Docker picks the address. */
export const networkKind: NeedKind<NetworkNeed> = {
  kind: 'network',
  usage: 'NAME',
  hostSection: 'networks',
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
};
