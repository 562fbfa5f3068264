import { findConflicts, type PlannedAdditions } from '../core/docker-cli/conflicts.js';
import { normalizeTarget } from '../core/docker-cli/mount-specs.js';
import type { ParsedRun } from '../core/docker-cli/parse-run-args.js';
import { BerthError } from '../core/errors.js';
import type { HostConfig } from '../core/host/host-config.js';
import { decodeLabels } from '../core/labels.js';
import { table } from '../core/needs/describe.js';
import { kindOf } from '../core/needs/kinds/index.js';
import { needName, type Need } from '../core/needs/need.js';
import {
  CONTAINER, connectAddresses, networkConnectArgs, networkCreateArgs, networkSpec, plainRunArgs, shellQuote, startCommands,
} from '../core/plan/docker-argv.js';
import { podmanShortNames, tagBesideDigest } from '../core/plan/image-patterns.js';
import { resolveNeeds } from '../core/plan/resolve.js';
import type { Resolution, RunPlan } from '../core/plan/resolution.js';
import { engineAttached, type Engine } from '../edge/engine.js';
import { hostConfigFromText, hostConfigPath, readHostConfig } from '../edge/host-file.js';
import { recordRun } from '../core/containers/record-run.js';
import { containerToReplace, neighbourLinks, replaceContainer, temporaryName, withoutHolder } from './replace.js';
import type { ObservedContainer } from '../core/containers/observed.js';
import type { WorldState } from '../core/plan/world-state.js';
import { applyBindings, parseBinding, type Binding, type BoundNeeds } from '../core/containers/bindings.js';
import { encodeRunLabels } from '../core/containers/run-labels.js';
import { inspectImage, type ImageFacts } from '../edge/images.js';
import type { EngineVersion } from '../edge/networks.js';
import { observeWorld } from './observe-world.js';
import { say, type Output } from './output.js';
import type { HostPrefetch } from './prefetch-host.js';
import { runProviders } from './providers.js';
import { byImageId, engineStartOptions, startContainer } from './start.js';
import { printable } from '../core/printable.js';

const DRY_RUN_CELL_MAX = 400;

/**
 * `berth run` once the image is being inspected: reads its labels, resolves every need against
 * the host file, runs providers, and starts the container or says what is missing.
 */
export async function runImage(
  engine: Engine,
  parsed: ParsedRun,
  early: {
    readonly image: Promise<ImageFacts | undefined>;
    readonly host: Promise<HostPrefetch>;
    readonly version?: Promise<EngineVersion>;
  },
  output: Output,
): Promise<number> {
  const { version } = early;
  const hostPath = hostConfigPath(parsed.berth.hostConfig);
  // Check the host file while the engine answers; it only matters if the image has needs.
  const hostRead = early.host.then(({ text }) => (text === undefined ? readHostConfig(hostPath) : hostConfigFromText(text, hostPath)));
  hostRead.catch(() => undefined);
  const image = await localImage(engine, parsed, early.image);
  const decoded = decodeLabels(image.labels);
  if (decoded.problems.length > 0) {
    const lines = decoded.problems.map((p) => `  label ${p.key} ${p.message}`).join('\n');
    throw new BerthError(`refusing to start ${parsed.image}: its berth labels cannot be trusted:\n${lines}\nnothing was created (rebuild the image with berth build)`, {
      code: 'labels.invalid',
    });
  }
  const bound = bindNeeds(parsed, decoded.needs);
  if (decoded.needs.length === 0 && parsed.berth.replace !== undefined) {
    throw new BerthError(`--replace: ${parsed.image} declares no needs, so there is nothing for berth to take over; use docker for it`, { code: 'run.replace-plain' });
  }
  if (decoded.needs.length === 0) return plainRun(engine, parsed, output);

  const needs = bound.needs;
  let host = await hostRead;
  await refuseTagDigestMismatch(engine, parsed.image, image);
  const old = parsed.berth.replace === undefined ? undefined : await containerToReplace(engine, parsed.berth.replace, parsed, hostPath, host);
  // With --replace the new container may take what the old one holds.
  const observe = async (world: Promise<WorldState>) => (old ? withoutHolder(await world, old) : world);
  // `images` patterns are matched against what the engine will run: the image's own tags and
  // digests, never the text typed, which podman resolves by its digest alone.
  const aliases = engine.name === 'podman' ? podmanShortNames(image.repoTags) : [];
  const identity = { ref: parsed.image, tags: image.repoTags, digests: image.repoDigests, aliases };
  let resolution = resolveNeeds({ image: identity, needs, host, world: await observe(observeWorld(engine, host, needs, { ...(version ? { version } : {}), networks: (await early.host).networks })) });
  const pending = resolution.unmet.length > 0 && resolution.unmet.every((u) => u.provider);
  if (pending && !parsed.berth.dryRun) {
    // A run the user's own options would refuse anyway must not make providers mount things first.
    if (!parsed.berth.allowOverride) refuseConflicts(parsed, plannedFromNeeds(needs, host));
    const provided = await runProviders(resolution.unmet, host, hostPath);
    host = provided.host;
    const world = await observe(observeWorld(engine, host, needs, version ? { version } : {}));
    resolution = resolveNeeds({ image: identity, needs, host, world, providersRun: provided.run });
  }
  for (const warning of resolution.warnings) say(output, `warning: ${warning}`);
  const record = (plan: RunPlan) => encodeRunLabels(recordRun(hostPath, decoded.needs, host, plan, bound.hosts));
  if (parsed.berth.dryRun) return dryRun(engine, parsed, image.id, resolution, output, record, old);
  if (!resolution.plan) throw unmetError(parsed.image, resolution);
  const plan = withUserOverrides(resolution.plan, parsed);
  if (old) return replaceContainer(engine, plan, parsed, image.id, old, record(plan), output);
  return startContainer(engine, plan, parsed, output, image.id, record(plan));
}

// `--bind NAME=HOST-NAME` points a need at another host entry; one that fits no need stops the run.
function bindNeeds(parsed: ParsedRun, needs: readonly Need[]): BoundNeeds {
  const problems: string[] = [];
  const bindings: Binding[] = [];
  for (const text of parsed.berth.bind) {
    const read = parseBinding(text);
    if (read.ok) bindings.push(read.binding);
    else problems.push(read.message);
  }
  const bound = applyBindings(needs, bindings);
  problems.push(...bound.problems);
  if (problems.length > 0) {
    throw new BerthError(`cannot start ${parsed.image}: ${problems.join('; ')}; nothing was created`, { code: 'run.bad-bind' });
  }
  return bound;
}

// `NAME:TAG@DIGEST` runs the digest's image whatever the tag names: refuse it unless both name one image.
async function refuseTagDigestMismatch(engine: Engine, ref: string, image: ImageFacts): Promise<void> {
  const tagged = tagBesideDigest(ref);
  if (tagged === undefined) return;
  const byTag = await inspectImage(engine, tagged);
  if (byTag?.id === image.id) return;
  throw new BerthError(`refusing to start ${printable(ref, 200)}: its tag ${byTag ? 'and its digest name different images' : 'names no local image, though its digest does'}; nothing was created (give the tag or the digest alone)`, {
    code: 'image.tag-digest-mismatch',
  });
}

function refuseConflicts(parsed: ParsedRun, planned: PlannedAdditions): void {
  const conflicts = findConflicts(parsed.asked, planned);
  if (conflicts.length === 0) return;
  throw new BerthError(`cannot start ${parsed.image}: your options contradict its needs; nothing was created\n${conflicts.map((c) => `  ${c.message}`).join('\n')}`, {
    code: 'run.conflict',
  });
}

// What berth will add, known from the needs and the host file before anything is resolved.
function plannedFromNeeds(needs: readonly Need[], host: HostConfig): PlannedAdditions {
  const claims = needs.map((need) => kindOf(need).claims(need, host));
  return {
    networks: [...new Set(claims.flatMap((c) => c.networks))].map((name) => ({ name })),
    mountTargets: claims.flatMap((c) => c.mountTargets),
  };
}

// Needs that cannot be met: every one listed, with what was looked at and what to do.
function unmetError(image: string, resolution: Resolution): BerthError {
  const count = resolution.unmet.length;
  const lines = resolution.unmet.flatMap((u) => {
    // Most problems name their need already; the others say which need they stand in the way of.
    const name = needName(u.need);
    const named = u.problem.includes(`"${name}"`) || u.problem.startsWith(name);
    return [`  ${named ? '' : `${u.need.kind} ${name}: `}${u.problem}`, `    fix: ${u.fix}`];
  });
  return new BerthError(`cannot start ${image}: ${count} need${count === 1 ? ' is' : 's are'} not met; nothing was created\n${lines.join('\n')}`, {
    code: 'run.unmet',
  });
}

// The user's own --network/--ip/--mount contradicting a need is an error, unless told to let them win.
function withUserOverrides(plan: RunPlan, parsed: ParsedRun): RunPlan {
  const planned = {
    networks: plan.attachments.map((a) => ({ name: a.network.name, ...(a.ipv6 ? { ipv6: a.ipv6 } : {}), ...(a.ipv4 ? { ipv4: a.ipv4 } : {}) })),
    mountTargets: plan.mounts.map((m) => m.target),
  };
  const conflicts = findConflicts(parsed.asked, planned);
  if (conflicts.length === 0) return plan;
  if (!parsed.berth.allowOverride) refuseConflicts(parsed, planned);
  const networksWin = conflicts.some((c) => c.kind !== 'mount');
  const userTargets = new Set(parsed.asked.mounts.flatMap((m) => (m.target === undefined ? [] : [normalizeTarget(m.target)])));
  return {
    attachments: networksWin ? [] : plan.attachments,
    ndp: networksWin ? [] : plan.ndp,
    mounts: plan.mounts.filter((m) => !userTargets.has(m.target)),
  };
}

async function localImage(engine: Engine, parsed: ParsedRun, inspected: Promise<ImageFacts | undefined>): Promise<ImageFacts> {
  const found = await inspected;
  if (found) return found;
  if (parsed.asked.pull === 'never' || parsed.berth.dryRun) {
    throw new BerthError(`image ${parsed.image} is not available locally${parsed.berth.dryRun ? ' (a dry run does not pull)' : ''}; pull or build it first`, {
      code: 'image.not-found',
    });
  }
  // berth must read the labels before the container exists, so it pulls as docker run would.
  const status = await engineAttached(engine, ['pull', '--', parsed.image]);
  const pulled = status === 0 ? await inspectImage(engine, parsed.image) : undefined;
  if (!pulled) {
    throw new BerthError(`image ${parsed.image} is not available locally and could not be pulled`, { code: 'image.not-found' });
  }
  return pulled;
}

// An image without needs runs exactly as under docker run.
async function plainRun(engine: Engine, parsed: ParsedRun, output: Output): Promise<number> {
  const argv = plainRunArgs(parsed);
  if (parsed.berth.dryRun) {
    output.stdout(`${parsed.image} declares no needs; it runs as with docker run:\n${engine.command} ${shellQuote(argv)}\n`);
    return 0;
  }
  return engineAttached(engine, argv);
}

async function dryRun(engine: Engine, parsed: ParsedRun, imageId: string, resolution: Resolution, output: Output, record: (plan: RunPlan) => Record<string, string>, old?: ObservedContainer): Promise<number> {
  const rows = [['NEED', 'RESOLVED TO'], ...resolution.rows.map((r) => [`${r.kind} ${r.name}`, r.result])];
  for (const unmet of resolution.unmet) {
    const provider = unmet.provider ? ` (provider would run: ${shellQuote([...unmet.provider.argv, unmet.provider.kind, unmet.provider.name])})` : '';
    rows.push([`${unmet.need.kind} ${needName(unmet.need)}`, `NOT MET: ${unmet.problem}${provider}`]);
  }
  // A provider's entry or the engine may have put anything into a row.
  output.stdout(`${table(rows.map((row) => row.map((cell) => printable(cell, DRY_RUN_CELL_MAX))))}\n`);
  if (!resolution.plan) {
    const pending = resolution.unmet.every((u) => u.provider);
    if (pending) {
      output.stdout('\nthe engine commands depend on what the providers make available\n');
      return 0;
    }
    throw unmetError(parsed.image, resolution);
  }
  const plan = withUserOverrides(resolution.plan, parsed);
  const lines: string[] = [];
  for (const attachment of plan.attachments) {
    if (attachment.create) lines.push(`${engine.command} ${shellQuote(networkCreateArgs(networkSpec(attachment.network)))}`);
  }
  for (const { address, iface } of plan.ndp) lines.push(`ip -6 neigh replace proxy ${address} dev ${iface}`);
  // --replace creates the new container first and starts it once the old one has stopped.
  const temporary = old ? temporaryName(parsed, old) : undefined;
  const commands = startCommands(plan, byImageId(parsed, imageId), { ...engineStartOptions(engine), labels: record(plan), ...(old ? { create: true } : {}), ...(temporary ? { name: temporary } : {}) });
  if (commands.mode === 'run') lines.push(`${engine.command} ${shellQuote(commands.run)}`);
  else {
    lines.push(`${engine.command} ${shellQuote(commands.create)}`);
    for (const a of commands.connects) lines.push(`${engine.command} ${shellQuote(networkConnectArgs(a.network.name, CONTAINER, connectAddresses(a)))}`);
    if (old) lines.push(`${engine.command} ${shellQuote(['stop', old.name])}`);
    lines.push(`${engine.command} ${shellQuote(commands.start)}`);
    if (old) for (const { address, iface } of await neighbourLinks(plan)) lines.push(`ip -6 neigh replace ${address} lladdr '<mac>' dev ${iface} nud stale`);
    if (old) lines.push(`${engine.command} ${shellQuote(['rm', '--force', old.name])}`);
    if (old && temporary) lines.push(`${engine.command} ${shellQuote(['rename', temporary, old.name])}`);
  }
  output.stdout(`\n${lines.join('\n')}\n`);
  return 0;
}

