import type { NeedKindName } from '../needs/need.js';
import { NEED_KINDS } from '../needs/kinds/index.js';
import type { Position } from '../problem.js';
import { configData } from './config-data.js';
import type { Locate } from './data-path.js';
import type { HostConfig } from './host-config.js';
import { checkHostValue, type HostConfigResult } from './parse-host-config.js';

/**
 * A `providers.KIND` provider's entry (README, "Providers") merged into the host file and checked
 * with it as the file is: an address another name holds, a subnet that overlaps another network's
 * or a source the file's rules refuse is a problem, at `provider`, as with the file's own entries.
 */
export function withProviderEntry(host: HostConfig, kind: NeedKindName, name: string, entry: unknown, provider: string): HostConfigResult {
  const data = configData(host);
  const key = NEED_KINDS[kind].hostSection.key;
  const merged = { ...data, [key]: { ...(data[key] as object), [name]: entry } };
  const printed: Position = { file: provider, line: 1, column: 1 };
  const sections: Readonly<Record<string, ReadonlyMap<string, { readonly at: Position }>>> = {
    networks: host.networks, addresses: host.addresses, volumes: host.volumes,
  };
  // The file's entries keep their own positions; everything else is the provider's.
  const locate: Locate = ([section, entryName]) => {
    if (typeof section !== 'string' || typeof entryName !== 'string' || (section === key && entryName === name)) return printed;
    return sections[section]?.get(entryName)?.at ?? printed;
  };
  return checkHostValue(merged, host.file, locate);
}
