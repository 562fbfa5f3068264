import type { HostConfig } from '../host/host-config.js';
import { needId, needName, type Need } from '../needs/need.js';
import type { RunPlan } from '../plan/resolution.js';
import type { Held, RunRecord } from './run-labels.js';

/**
 * What each need of a container holds once the plan is carried out: the host entry that met it
 * (through `bindings`, by need id, when `--bind` named another) and what that entry gave it. A
 * need the user's own options overrode holds nothing and is left out.
 */
export function recordRun(
  hostFile: string,
  needs: readonly Need[],
  host: HostConfig,
  plan: RunPlan,
  bindings: ReadonlyMap<string, string> = new Map(),
): RunRecord {
  const held: Held[] = [];
  for (const need of needs) {
    const name = needName(need);
    const hostName = bindings.get(needId(need)) ?? name;
    const found = heldBy(need, name, hostName, host, plan);
    if (found) held.push(found);
  }
  return { hostFile, held };
}

function heldBy(need: Need, name: string, hostName: string, host: HostConfig, plan: RunPlan): Held | undefined {
  switch (need.kind) {
    case 'address': {
      const entry = need.ref.type === 'name' ? host.addresses.get(hostName) : undefined;
      const wanted = entry ? [entry.ipv6, entry.ipv4] : [name];
      const attachment = plan.attachments.find((a) => (a.ipv6 !== undefined && wanted.includes(a.ipv6)) || (a.ipv4 !== undefined && wanted.includes(a.ipv4)));
      if (!attachment) return undefined;
      const ipv6 = attachment.ipv6 !== undefined && wanted.includes(attachment.ipv6) ? attachment.ipv6 : undefined;
      const ipv4 = attachment.ipv4 !== undefined && wanted.includes(attachment.ipv4) ? attachment.ipv4 : undefined;
      const ndpProxy = plan.ndp.find((e) => e.address === ipv6)?.iface;
      return {
        kind: 'address', need: name, network: attachment.network.name,
        ...(entry ? { host: entry.name } : {}),
        ...(ipv6 === undefined ? {} : { ipv6 }),
        ...(ipv4 === undefined ? {} : { ipv4 }),
        ...(ndpProxy === undefined ? {} : { ndpProxy }),
      };
    }
    case 'volume': {
      const entry = host.volumes.get(hostName);
      if (!entry || !plan.mounts.some((m) => m.target === need.target)) return undefined;
      return entry.type === 'bind'
        ? { kind: 'volume', need: name, host: entry.name, source: entry.source }
        : { kind: 'volume', need: name, host: entry.name, volume: entry.volume };
    }
    case 'network':
      return plan.attachments.some((a) => a.network.name === hostName) ? { kind: 'network', need: name, host: hostName } : undefined;
  }
}
