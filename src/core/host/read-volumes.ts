import type { HostVolume } from './host-config.js';
import type { Checker } from './checker.js';
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
    if (source !== undefined) volumes.set(name, { type: 'bind', source, ...rest });
    else if (volume !== undefined) volumes.set(name, { type: 'docker-volume', volume, ...rest });
  }
  return volumes;
}
