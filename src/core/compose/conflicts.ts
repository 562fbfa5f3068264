import { normalizeTarget } from '../docker-cli/mount-specs.js';
import type { RunPlan } from '../plan/resolution.js';
import type { ComposeService } from './project.js';

const REMEDY = 'remove it, or give berth compose --allow-override to let it win';

/**
 * What a service's own files say that contradicts what berth adds for its needs: a
 * `network_mode`, an address of its own on a network a need joins, a mount at a need's target.
 * Networks the needs do not name are the service's to join, as compose merges them.
 */
export function serviceConflicts(service: ComposeService, plan: RunPlan): string[] {
  const conflicts: string[] = [];
  if (plan.attachments.length > 0 && service.networkMode !== undefined) {
    conflicts.push(`network_mode: ${service.networkMode} contradicts the image's networks (${plan.attachments.map((a) => a.network.name).join(', ')}), which berth joins itself; ${REMEDY}`);
  }
  for (const own of service.networks) {
    const planned = plan.attachments.find((a) => a.network.name === own.name);
    if (!planned) continue;
    for (const [key, address, needed] of [['ipv6_address', own.ipv6, planned.ipv6], ['ipv4_address', own.ipv4, planned.ipv4]] as const) {
      if (address === undefined || address === needed) continue;
      conflicts.push(`networks: ${own.name}: ${key}: ${address} contradicts ${needed === undefined ? `the image's network "${own.name}", on which berth picks no ${key === 'ipv6_address' ? 'IPv6' : 'IPv4'} address` : `address ${needed} that the image needs on network "${own.name}"`}; ${REMEDY}`);
    }
  }
  const targets = new Set(plan.mounts.map((m) => m.target));
  for (const target of service.mountTargets) {
    if (targets.has(normalizeTarget(target))) conflicts.push(`volumes: something is mounted at ${target}, where the image needs a mount of its own; ${REMEDY}`);
  }
  return conflicts;
}

/** The plan with the service's own settings winning, as `--allow-override` asks. */
export function serviceWins(service: ComposeService, plan: RunPlan): RunPlan {
  if (service.networkMode !== undefined) return { attachments: [], ndp: [], mounts: withoutTargets(plan, service) };
  const own = new Map(service.networks.map((n) => [n.name, n]));
  const attachments = plan.attachments.map((a) => {
    const mine = own.get(a.network.name);
    if (!mine || (mine.ipv6 === undefined && mine.ipv4 === undefined)) return a;
    return { network: a.network, create: a.create, ...(mine.ipv6 ? { ipv6: mine.ipv6 } : {}), ...(mine.ipv4 ? { ipv4: mine.ipv4 } : {}) };
  });
  const kept = new Set(attachments.flatMap((a) => (a.ipv6 ? [a.ipv6] : [])));
  return { attachments, ndp: plan.ndp.filter((entry) => kept.has(entry.address)), mounts: withoutTargets(plan, service) };
}

function withoutTargets(plan: RunPlan, service: ComposeService): RunPlan['mounts'] {
  const theirs = new Set(service.mountTargets.map(normalizeTarget));
  return plan.mounts.filter((m) => !theirs.has(m.target));
}

// Two services cannot hold one address: the engine would start one and refuse the other.
export function sharedAddresses(plans: readonly { readonly service: string; readonly plan: RunPlan }[]): string[] {
  const holders = new Map<string, string[]>();
  for (const { service, plan } of plans) {
    for (const a of plan.attachments) {
      for (const address of [a.ipv6, a.ipv4]) {
        if (address === undefined) continue;
        const key = `${address} on network ${a.network.name}`;
        holders.set(key, [...(holders.get(key) ?? []), service]);
      }
    }
  }
  return [...holders].filter(([, names]) => names.length > 1).map(([address, names]) => `services ${names.join(' and ')} both need ${address}; bind one of them to another address (x-berth: {bind: ...})`);
}
