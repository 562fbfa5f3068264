import type { HostVolume } from './host-config.js';
import type { Checker } from './checker.js';
import { label } from './data-path.js';
import { argv, entries, text } from './host-data.js';

// The volumes section as bind mounts or Docker volumes; an entry with neither was reported by the schema.
export function readVolumes(checker: Checker): Map<string, HostVolume> {
  const volumes = new Map<string, HostVolume>();
  for (const [name, raw] of entries(checker.data['volumes'])) {
    const source = text(raw['source']);
    const volume = text(raw['volume']);
    const provider = argv(raw['provider']);
    const rest = {
      name,
      readOnly: raw['readonly'] === true,
      ...(provider === undefined ? {} : { provider }),
      at: checker.locate(['volumes', name], 'key'),
    };
    if (source !== undefined) {
      // Engines copy an image's files only into named volumes: on a directory the key would promise nothing.
      if (raw['copy-up'] !== undefined) {
        const path = ['volumes', name, 'copy-up'];
        checker.report(path, 'host.copy-up-on-source', `${label(path)} applies only to a Docker named volume (volume:), not to a host directory (source:); remove it`);
      }
      volumes.set(name, { type: 'bind', source, followSymlinks: raw['follow-symlinks'] !== false, ...rest });
    } else if (volume !== undefined) {
      // A named volume's path is the engine's own, never one the host file gives.
      if (raw['follow-symlinks'] !== undefined) {
        const path = ['volumes', name, 'follow-symlinks'];
        checker.report(path, 'host.follow-symlinks-on-volume', `${label(path)} applies only to a host directory (source:), not to a Docker named volume (volume:); remove it`);
      }
      volumes.set(name, { type: 'docker-volume', volume, copyUp: raw['copy-up'] === true, ...rest });
    }
  }
  return volumes;
}
