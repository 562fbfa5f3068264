import { mountPlace, tmpfsPlace, volumePlace, type MountPlace } from './mount-specs.js';
import { switchValue, type ScannedOption } from './scan-options.js';

/** A mount the user asked for with a docker option. */
export interface UserMount extends MountPlace {
  readonly option: '--volume' | '--mount' | '--tmpfs';
  /** The option's value as given. */
  readonly value: string;
}

/** What berth must know about the user's own `docker run` options to plan around them. */
export interface UserRunOptions {
  readonly detach: boolean;
  readonly interactive: boolean;
  readonly tty: boolean;
  /** `--rm`, or podman's `--rmi`, which implies it. */
  readonly rm: boolean;
  readonly name?: string;
  /** Values of `-a`/`--attach`, in order. */
  readonly attach: readonly string[];
  /** Values of `--network`/`--net`, in order, as given (`host`, `mynet`, `name=mynet,ip=...`). */
  readonly networks: readonly string[];
  readonly ip?: string;
  readonly ip6?: string;
  readonly mounts: readonly UserMount[];
  readonly platform?: string;
  readonly pull?: string;
  /** `--cidfile`: where the engine writes the container's id. */
  readonly cidfile?: string;
}

const SCALARS = ['name', 'ip', 'ip6', 'platform', 'pull', 'cidfile'] as const;
type Scalar = (typeof SCALARS)[number];

/** Reads what the user's docker options ask for; later options win, as in docker. */
export function readUserRunOptions(options: readonly ScannedOption[]): UserRunOptions {
  const switches = { detach: false, interactive: false, tty: false, rm: false };
  const scalars: Partial<Record<Scalar, string>> = {};
  const attach: string[] = [];
  const networks: string[] = [];
  const mounts: UserMount[] = [];
  for (const option of options) {
    if (option.spec === undefined) continue;
    const { name, value } = option;
    if (name === 'detach' || name === 'interactive' || name === 'tty' || name === 'rm') {
      switches[name] = switchValue(option);
    } else if (name === 'rmi') {
      if (switchValue(option)) switches.rm = true;
    } else if (isScalar(name)) scalars[name] = value;
    else if (name === 'attach') attach.push(value);
    else if (name === 'network') networks.push(value);
    else if (name === 'volume') mounts.push({ option: '--volume', value, ...volumePlace(value) });
    else if (name === 'mount') mounts.push({ option: '--mount', value, ...mountPlace(value) });
    else if (name === 'tmpfs') mounts.push({ option: '--tmpfs', value, ...tmpfsPlace(value) });
  }
  return { ...switches, ...scalars, attach, networks, mounts };
}

function isScalar(name: string): name is Scalar {
  return (SCALARS as readonly string[]).includes(name);
}
