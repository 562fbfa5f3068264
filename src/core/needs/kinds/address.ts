import { formatIp, looksLikeIp, parseIp } from '../../ip.js';
import { nameProblem } from '../grammar.js';
import type { NeedKind } from '../kind.js';
import type { AddressNeed } from '../need.js';

/** `NEED address REF`: a host-named address, or a literal IPv6/IPv4 address. */
export const addressKind: NeedKind<AddressNeed> = {
  kind: 'address',
  usage: 'NAME|IP[/PREFIX]',
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
};
