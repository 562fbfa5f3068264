import type { ParsedCompose } from '../core/compose/args.js';
import { berthProjectContainers, composeAttached } from '../edge/compose.js';
import { engineCall } from '../edge/engine.js';
import { hostConfigPath, readHostConfig } from '../edge/host-file.js';
import { removeNdpProxy } from '../edge/ndp.js';
import { inspectNetwork } from '../edge/networks.js';
import { mergedProject, type ComposeRun } from './compose-project.js';
import { IMAGE_LABEL } from '../core/containers/run-labels.js';

/**
 * `down`, then what the project's berth containers held: NDP proxy
 * entries no container holds any more, and host-file networks no container is left on.
 */
export async function composeDown(parsed: ParsedCompose, run: ComposeRun): Promise<number> {
  const merged = await mergedProject(parsed, run);
  if (!merged.ok) return merged.status;
  const containers = await berthProjectContainers(run.engine, merged.projectName, IMAGE_LABEL);
  const status = await composeAttached(run.cli, [...merged.globals, 'down', ...parsed.args]);
  if (status !== 0 || containers.length === 0) return status;
  const host = await readHostConfig(hostConfigPath(parsed.berth.hostConfig, run.env));
  const joined = new Map<string, Set<string>>();
  for (const { networks } of containers) {
    for (const { name, ipv6 } of networks) {
      if (!host.networks.has(name)) continue;
      const addresses = joined.get(name) ?? new Set<string>();
      if (ipv6 !== undefined) addresses.add(ipv6);
      joined.set(name, addresses);
    }
  }
  for (const [name, addresses] of joined) {
    const network = host.networks.get(name);
    const now = await inspectNetwork(run.engine, name);
    const held = new Set(now?.holders.flatMap((h) => (h.ipv6 ? [h.ipv6] : [])) ?? []);
    if (network?.ndpProxy !== undefined) {
      const iface = network.ndpProxy;
      for (const address of addresses) if (!held.has(address)) await removeNdpProxy(address, iface);
    }
    if (now && now.holders.length === 0) await engineCall(run.engine, ['network', 'rm', name]);
  }
  return status;
}
