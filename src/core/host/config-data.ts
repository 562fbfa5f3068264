import { hostEntries, NEED_KINDS } from '../needs/kinds/index.js';
import { SECTION_KINDS, type HostConfig } from './host-config.js';
import type { Data } from './host-data.js';

/**
 * A checked host file back in the file's own form, so that more entries (a provider's) can be
 * merged into it and the whole checked again as the file is. Reading it gives the same config.
 * Each kind writes its own section's entries.
 */
export function configData(config: HostConfig): Data {
  const sections = SECTION_KINDS.map((kind) => {
    const section = NEED_KINDS[kind].hostSection;
    return [section.key, Object.fromEntries([...hostEntries(config, kind)].map(([name, entry]) => [name, section.write(entry)]))];
  });
  return {
    ...Object.fromEntries(sections),
    providers: { ...config.providers },
    'provider-timeout': config.providerTimeoutSeconds,
  };
}
