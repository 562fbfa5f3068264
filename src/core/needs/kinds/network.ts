import { nameProblem } from '../grammar.js';
import type { NeedKind } from '../kind.js';
import type { NetworkNeed } from '../need.js';

/** `NEED network NAME`: join the host's network NAME; Docker picks the address. */
export const networkKind: NeedKind<NetworkNeed> = {
  kind: 'network',
  usage: 'NAME',
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
};
