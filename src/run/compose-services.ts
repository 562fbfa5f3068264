import type { ParsedCompose } from '../core/compose/args.js';
import { bindNeeds } from '../core/compose/bind.js';
import { serviceConflicts, serviceWins, sharedAddresses } from '../core/compose/conflicts.js';
import type { ServicePlan } from '../core/compose/override.js';
import type { ComposeService } from '../core/compose/project.js';
import { BerthError, EXIT_CANNOT_START } from '../core/errors.js';
import type { HostConfig } from '../core/host/host-config.js';
import { decodeLabels } from '../core/labels.js';
import { needName, type Need } from '../core/needs/need.js';
import type { Resolution, RunPlan } from '../core/plan/resolution.js';
import { resolveNeeds } from '../core/plan/resolve.js';
import type { WorldState } from '../core/plan/world-state.js';
import { hostConfigPath, readHostConfig } from '../edge/host-file.js';
import { inspectImage, type ImageFacts } from '../edge/images.js';
import type { ComposeRun } from './compose-project.js';
import { observeWorld } from './observe-world.js';
import { runProviders } from './providers.js';
import { recordRun } from '../core/containers/record-run.js';
import { encodeRunLabels, IMAGE_LABEL } from '../core/containers/run-labels.js';

/** A service with its image, how its needs resolved, and what goes into the override for it. */
export interface Resolved {
  readonly service: ComposeService;
  readonly ref: string;
  readonly resolution: Resolution;
  readonly servicePlan: ServicePlan;
}

/** The containers compose already made for each service: compose replaces them, so the addresses they hold are the service's own. */
export type OwnContainers = { readonly own: ReadonlyMap<string, readonly string[]> };

/** Resolves every service before anything is created; throws with every unmet need of every service (exit 125). */
export async function resolveServices(services: readonly ComposeService[], imageOf: (s: ComposeService) => string, parsed: ParsedCompose, run: ComposeRun & OwnContainers): Promise<Resolved[]> {
  const hostPath = hostConfigPath(parsed.berth.hostConfig, run.env);
  let host: HostConfig | undefined;
  const resolved: Resolved[] = [];
  const failures: string[] = [];
  for (const service of services) {
    const ref = imageOf(service);
    const facts = await inspectImage(run.engine, ref);
    if (!facts) {
      failures.push(`service ${service.name}: image ${ref} is not available locally; pull or build it first (berth compose pull, berth compose build)`);
      continue;
    }
    const decoded = decodeLabels(facts.labels);
    if (decoded.problems.length > 0) {
      failures.push(`service ${service.name}: the berth labels of ${ref} cannot be trusted:\n${decoded.problems.map((p) => `    label ${p.key} ${p.message}`).join('\n')}`);
      continue;
    }
    const bound = bindNeeds(service, decoded.needs);
    if (!bound.ok) {
      failures.push(`service ${service.name}: ${bound.problem}`);
      continue;
    }
    if (bound.needs.length === 0) {
      resolved.push({ service, ref, resolution: { rows: [], unmet: [], warnings: [], plan: EMPTY_PLAN }, servicePlan: { service: service.name, plan: EMPTY_PLAN, labels: {} } });
      continue;
    }
    host ??= await readHostConfig(hostPath);
    const { resolution, host: after } = await resolveService(run, run.own.get(service.name) ?? [], host, hostPath, facts, ref, bound.needs, parsed.berth.dryRun || parsed.command === 'config');
    host = after;
    for (const warning of resolution.warnings) run.output.stderr(`berth: warning: service ${service.name}: ${warning}\n`);
    if (!resolution.plan) {
      // A dry run runs no provider: it shows what would run, as berth run --dry-run does.
      const pending = resolution.unmet.every((u) => u.provider);
      if (pending && parsed.berth.dryRun) resolved.push({ service, ref, resolution, servicePlan: { service: service.name, plan: EMPTY_PLAN, labels: {} } });
      else failures.push(unmetLines(service.name, ref, resolution));
      continue;
    }
    const conflicts = serviceConflicts(service, resolution.plan);
    if (conflicts.length > 0 && !parsed.berth.allowOverride) {
      failures.push(`service ${service.name} (${ref}): its own settings contradict its needs:\n${conflicts.map((c) => `    ${c}`).join('\n')}`);
      continue;
    }
    const plan = conflicts.length > 0 ? serviceWins(service, resolution.plan) : resolution.plan;
    // The same record berth run puts on its containers, so that ps, rm, reconcile and doctor see the service's.
    const labels = { ...encodeRunLabels(recordRun(hostPath, decoded.needs, after, plan, bound.hosts)), [IMAGE_LABEL]: ref };
    resolved.push({ service, ref, resolution, servicePlan: { service: service.name, plan, labels } });
  }
  failures.push(...sharedAddresses(resolved.map((r) => ({ service: r.service.name, plan: r.servicePlan.plan }))));
  if (failures.length > 0) {
    throw new BerthError(`cannot start the project: ${failures.length} service${failures.length === 1 ? ' has' : 's have'} needs that are not met; nothing was created\n${failures.map((f) => `  ${f}`).join('\n')}`, {
      code: 'compose.unmet',
      exitCode: EXIT_CANNOT_START,
    });
  }
  return resolved;
}

const EMPTY_PLAN: RunPlan = { attachments: [], mounts: [], ndp: [] };

async function resolveService(run: ComposeRun, own: readonly string[], host: HostConfig, hostPath: string, facts: ImageFacts, ref: string, needs: readonly Need[], dry: boolean): Promise<{ resolution: Resolution; host: HostConfig }> {
  const identity = { ref, tags: facts.repoTags, digests: facts.repoDigests };
  const observe = async (current: HostConfig) => withoutHolders(await observeWorld(run.engine, current, needs), own);
  let resolution = resolveNeeds({ image: identity, needs, host, world: await observe(host) });
  const pending = resolution.unmet.length > 0 && resolution.unmet.every((u) => u.provider);
  if (!pending || dry) return { resolution, host };
  const provided = await runProviders(resolution.unmet, host, hostPath);
  resolution = resolveNeeds({ image: identity, needs, host: provided.host, world: await observe(provided.host), providersRun: provided.run });
  return { resolution, host: provided.host };
}

function withoutHolders(world: WorldState, own: readonly string[]): WorldState {
  if (own.length === 0) return world;
  const mine = (id: string) => id !== '' && own.some((ownId) => ownId.startsWith(id) || id.startsWith(ownId));
  const networks = new Map([...world.networks].map(([name, network]) => [name, network && { ...network, holders: network.holders.filter((h) => !mine(h.id)) }] as const));
  return { ...world, networks };
}

function unmetLines(service: string, ref: string, resolution: Resolution): string {
  const lines = resolution.unmet.flatMap((u) => [`    ${u.need.kind} ${needName(u.need)}: ${u.problem}`, `      fix: ${u.fix}`]);
  return `service ${service} (${ref}): ${resolution.unmet.length} need${resolution.unmet.length === 1 ? ' is' : 's are'} not met\n${lines.join('\n')}`;
}
