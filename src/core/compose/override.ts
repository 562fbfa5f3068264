import { stringify } from 'yaml';
import type { RunPlan } from '../plan/resolution.js';
import type { ComposeMount, ComposeNetworkJoin } from '../export/compose/service.js';

/** One service's resolved needs, ready for the override file. */
export interface ServicePlan {
  readonly service: string;
  readonly plan: RunPlan;
  /** Labels the service's containers carry (the image reference berth read the needs from). */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The compose file berth adds after the user's: each service's networks at its addresses, its
 * mounts in long syntax, the networks and Docker volumes as external (berth made sure they exist).
 */
export function overrideFile(plans: readonly ServicePlan[]): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  const networks: Record<string, { external: true }> = {};
  const volumes: Record<string, { external: true }> = {};
  for (const { service, plan, labels } of plans) {
    const joins: Record<string, ComposeNetworkJoin> = {};
    for (const attachment of plan.attachments) {
      joins[attachment.network.name] = {
        ...(attachment.ipv6 ? { ipv6_address: attachment.ipv6 } : {}),
        ...(attachment.ipv4 ? { ipv4_address: attachment.ipv4 } : {}),
      };
      networks[attachment.network.name] = { external: true };
    }
    const mounts: ComposeMount[] = plan.mounts.map((mount) => {
      if (mount.type === 'bind') return { type: 'bind', source: mount.source, target: mount.target, read_only: mount.readOnly };
      volumes[mount.source] = { external: true };
      return { type: 'volume', source: mount.source, target: mount.target, read_only: mount.readOnly, ...(mount.copyUp ? {} : { volume: { nocopy: true as const } }) };
    });
    services[service] = {
      ...(Object.keys(joins).length > 0 ? { networks: joins } : {}),
      ...(mounts.length > 0 ? { volumes: mounts } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
    };
  }
  return {
    services,
    ...(Object.keys(networks).length > 0 ? { networks } : {}),
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
}

/** The override file as YAML. */
export function overrideText(plans: readonly ServicePlan[]): string {
  return `# Written by berth compose: what each service's needs resolved to on this host.\n${stringify(overrideFile(plans), { lineWidth: 0 })}`;
}
