import { clip, nameProblem, targetProblem } from '../grammar.js';
import type { NeedKind } from '../kind.js';
import type { VolumeNeed } from '../need.js';

/** `NEED volume NAME TARGET [ro|rw]`: the host's volume NAME mounted at TARGET. */
export const volumeKind: NeedKind<VolumeNeed> = {
  kind: 'volume',
  usage: 'NAME TARGET [ro|rw]',
  parse(args, origin) {
    if (args.length < 2 || args.length > 3) {
      return { ok: false, message: `volume takes NAME TARGET [ro|rw], got ${args.length} argument${args.length === 1 ? '' : 's'}`, argument: Math.min(args.length, 3) };
    }
    const [name = '', target = '', mode = 'rw'] = args;
    const badName = nameProblem(name, 'volume name');
    if (badName) return { ok: false, message: badName, argument: 0 };
    const badTarget = targetProblem(target);
    if (badTarget) return { ok: false, message: badTarget, argument: 1 };
    if (mode !== 'ro' && mode !== 'rw') {
      return { ok: false, message: `volume mode "${clip(mode)}" is neither "ro" nor "rw"`, argument: 2 };
    }
    return { ok: true, need: { kind: 'volume', name, target, mode, origin } };
  },
  format(need) {
    return need.mode === 'ro' ? [need.name, need.target, 'ro'] : [need.name, need.target];
  },
};
