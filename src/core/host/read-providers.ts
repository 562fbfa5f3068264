import { PROVIDER_KINDS, type HostProviders } from './host-config.js';
import { argv, isRecord, type Data } from './host-data.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// The providers section's commands, one per kind of need; the schema has reported any that is not a command.
export function readProviders(data: Data): HostProviders {
  const raw = isRecord(data['providers']) ? data['providers'] : {};
  const providers: Mutable<HostProviders> = {};
  for (const kind of PROVIDER_KINDS) {
    const command = argv(raw[kind]);
    if (command !== undefined) providers[kind] = command;
  }
  return providers;
}
