import { ALLOW_OVERRIDE_OPTION } from './berth-options.js';
import { normalizeTarget } from './mount-specs.js';
import type { UserRunOptions } from './user-run-options.js';

/** A network berth will connect the container to, with the addresses it will give it there. */
export interface PlannedNetwork {
  readonly name: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
}

/** What berth will add to the user's `docker run` to meet the image's needs. */
export interface PlannedAdditions {
  readonly networks: readonly PlannedNetwork[];
  /** Container paths berth will mount something at. */
  readonly mountTargets: readonly string[];
}

/** A user option that contradicts what berth will add. */
export interface RunConflict {
  readonly kind: 'network' | 'address' | 'mount';
  /** The user's option as written, e.g. `--network host`. */
  readonly option: string;
  readonly message: string;
}

const REMEDY = `remove it, or add --${ALLOW_OVERRIDE_OPTION} to let it win`;

/**
 * Finds the user's options that contradict berth's additions: berth chooses the container's
 * networks and addresses and owns the paths it mounts at, so these cannot be merged silently.
 */
export function findConflicts(asked: UserRunOptions, planned: PlannedAdditions): readonly RunConflict[] {
  const conflicts: RunConflict[] = [];
  if (planned.networks.length > 0) {
    const names = planned.networks.map((network) => JSON.stringify(network.name)).join(', ');
    for (const network of asked.networks) {
      conflicts.push({
        kind: 'network',
        option: `--network ${network}`,
        message: `--network ${network} contradicts the image's networks (${names}), which berth connects itself; ${REMEDY}`,
      });
    }
    for (const [flag, address, family] of [['--ip', asked.ip, 'ipv4'], ['--ip6', asked.ip6, 'ipv6']] as const) {
      if (address === undefined) continue;
      const held = planned.networks.find((network) => network[family] !== undefined);
      const needed =
        held === undefined
          ? `image's networks (${names})`
          : `address ${held[family]} that the image needs on network "${held.name}"`;
      conflicts.push({
        kind: 'address',
        option: `${flag} ${address}`,
        message: `${flag} ${address} contradicts the ${needed}; ${REMEDY}`,
      });
    }
  }
  const targets = new Set(planned.mountTargets.map(normalizeTarget));
  for (const mount of asked.mounts) {
    if (mount.target === undefined || !targets.has(mount.target)) continue;
    conflicts.push({
      kind: 'mount',
      option: `${mount.option} ${mount.value}`,
      message: `${mount.option} ${mount.value} mounts at ${mount.target}, where the image needs a mount of its own; ${REMEDY}`,
    });
  }
  return conflicts;
}
