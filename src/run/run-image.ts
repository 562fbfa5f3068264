import { findConflicts, type PlannedAdditions } from '../core/docker-cli/conflicts.js';
import { normalizeTarget } from '../core/docker-cli/mount-specs.js';
import type { ParsedRun } from '../core/docker-cli/parse-run-args.js';
import { BerthError, EXIT_CANNOT_START } from '../core/errors.js';
import { decodeLabels } from '../core/labels.js';
import { needName, type Need } from '../core/needs/need.js';
import { findNetworkForAddress, type HostConfig } from '../core/host/host-config.js';
import { table } from '../core/needs/describe.js';
import { CONTAINER, shellQuote, startCommands } from '../core/plan/docker-argv.js';
import { podmanLocalAliases } from '../core/plan/image-patterns.js';
import { resolveNeeds } from '../core/plan/resolve.js';
import type { Resolution, RunPlan } from '../core/plan/resolution.js';
import { engineAttached, type Engine } from '../edge/engine.js';
import { absoluteHostConfigPath, hostConfigFromText, hostConfigPath, readHostConfig } from '../edge/host-file.js';
import { recordRun } from '../core/containers/record-run.js';
import { containerToReplace, replaceContainer, withoutHolder } from './replace.js';
import type { WorldFacts } from '../core/plan/facts.js';
import { applyBindings, parseBinding, type Binding, type BoundNeeds } from '../core/containers/bindings.js';
import { encodeRunLabels } from '../core/containers/run-labels.js';
import { inspectImage, type ImageFacts } from '../edge/images.js';
import { networkConnectArgs, networkCreateArgs, type EngineVersion } from '../edge/networks.js';
import { gatherFacts } from './gather-facts.js';
import type { HostPrefetch } from './prefetch-host.js';
import { runProviders } from './providers.js';
import { engineStartOptions, networkSpec, startContainer } from './start.js';
import { say, type Output } from '../cli/output.js';

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
      exitCode: EXIT_CANNOT_START,
    });
  }
  const bound = bindNeeds(parsed, decoded.needs);
  if (decoded.needs.length === 0 && parsed.berth.replace !== undefined) {
    throw new BerthError(`--replace: ${parsed.image} declares no needs, so there is nothing for berth to take over; use docker for it`, { code: 'run.replace-plain', exitCode: EXIT_CANNOT_START });
  }
  if (decoded.needs.length === 0) return plainRun(engine, parsed, output);

  const needs = bound.needs;
  let host = await hostRead;
  const hostFile = absoluteHostConfigPath(parsed.berth.hostConfig);
  const old = parsed.berth.replace === undefined ? undefined : await containerToReplace(engine, parsed.berth.replace, parsed, hostFile, host);
  // With --replace the new container may take what the old one holds.
  const observe = async (facts: Promise<WorldFacts>) => (old ? withoutHolder(await facts, old) : facts);
  const aliases = engine.name === 'podman' ? podmanLocalAliases(parsed.image, image.repoTags) : [];
  const identity = { ref: parsed.image, digests: image.repoDigests, aliases };
  let resolution = resolveNeeds({ image: identity, needs, host, facts: await observe(gatherFacts(engine, host, needs, { ...(version ? { version } : {}), networks: (await early.host).networks })) });
  const pending = resolution.unmet.length > 0 && resolution.unmet.every((u) => u.provider);
  if (pending && !parsed.berth.dryRun) {
    // A run the user's own options would refuse anyway must not make providers mount things first.
    if (!parsed.berth.allowOverride) refuseConflicts(parsed, plannedFromNeeds(needs, host));
    const provided = await runProviders(resolution.unmet, host, hostPath);
    host = provided.host;
    const facts = await observe(gatherFacts(engine, host, needs, version ? { version } : {}));
    resolution = resolveNeeds({ image: identity, needs, host, facts, providersRun: provided.run });
  }
  for (const warning of resolution.warnings) say(output, `warning: ${warning}`);
  const record = (plan: RunPlan) => encodeRunLabels(recordRun(hostFile, decoded.needs, host, plan, bound.hosts));
  if (parsed.berth.dryRun) return dryRun(engine, parsed, resolution, output, record);
  if (!resolution.plan) throw unmetError(parsed.image, resolution);
  const plan = withUserOverrides(resolution.plan, parsed);
  if (old) return replaceContainer(engine, plan, parsed, old, record(plan), output);
  return startContainer(engine, plan, parsed, output, record(plan));
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
    throw new BerthError(`cannot start ${parsed.image}: ${problems.join('; ')}; nothing was created`, { code: 'run.bad-bind', exitCode: EXIT_CANNOT_START });
  }
  return bound;
}

function refuseConflicts(parsed: ParsedRun, planned: PlannedAdditions): void {
  const conflicts = findConflicts(parsed.facts, planned);
  if (conflicts.length === 0) return;
  throw new BerthError(`cannot start ${parsed.image}: your options contradict its needs; nothing was created\n${conflicts.map((c) => `  ${c.message}`).join('\n')}`, {
    code: 'run.conflict',
    exitCode: EXIT_CANNOT_START,
  });
}

// What berth will add, known from the needs and the host file before anything is resolved.
function plannedFromNeeds(needs: readonly Need[], host: HostConfig): PlannedAdditions {
  const networks = new Set<string>();
  for (const need of needs) {
    if (need.kind === 'network') networks.add(need.name);
    else if (need.kind === 'address') {
      const network = need.ref.type === 'name' ? host.addresses.get(need.ref.name)?.network : findNetworkForAddress(host, need.ref.address)?.name;
      if (network !== undefined) networks.add(network);
    }
  }
  return {
    networks: [...networks].map((name) => ({ name })),
    mountTargets: needs.flatMap((need) => (need.kind === 'volume' ? [need.target] : [])),
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
    exitCode: EXIT_CANNOT_START,
  });
}

// The user's own --network/--ip/--mount contradicting a need is an error, unless told to let them win.
function withUserOverrides(plan: RunPlan, parsed: ParsedRun): RunPlan {
  const planned = {
    networks: plan.attachments.map((a) => ({ name: a.network.name, ...(a.ipv6 ? { ipv6: a.ipv6 } : {}), ...(a.ipv4 ? { ipv4: a.ipv4 } : {}) })),
    mountTargets: plan.mounts.map((m) => m.target),
  };
  const conflicts = findConflicts(parsed.facts, planned);
  if (conflicts.length === 0) return plan;
  if (!parsed.berth.allowOverride) refuseConflicts(parsed, planned);
  const networksWin = conflicts.some((c) => c.kind !== 'mount');
  const userTargets = new Set(parsed.facts.mounts.flatMap((m) => (m.target === undefined ? [] : [normalizeTarget(m.target)])));
  return {
    attachments: networksWin ? [] : plan.attachments,
    ndp: networksWin ? [] : plan.ndp,
    mounts: plan.mounts.filter((m) => !userTargets.has(m.target)),
  };
}

async function localImage(engine: Engine, parsed: ParsedRun, inspected: Promise<ImageFacts | undefined>): Promise<ImageFacts> {
  const found = await inspected;
  if (found) return found;
  if (parsed.facts.pull === 'never' || parsed.berth.dryRun) {
    throw new BerthError(`image ${parsed.image} is not available locally${parsed.berth.dryRun ? ' (a dry run does not pull)' : ''}; pull or build it first`, {
      code: 'image.not-found',
      exitCode: EXIT_CANNOT_START,
    });
  }
  // berth must read the labels before the container exists, so it pulls as docker run would.
  const status = await engineAttached(engine, ['pull', '--', parsed.image]);
  const pulled = status === 0 ? await inspectImage(engine, parsed.image) : undefined;
  if (!pulled) {
    throw new BerthError(`image ${parsed.image} is not available locally and could not be pulled`, { code: 'image.not-found', exitCode: EXIT_CANNOT_START });
  }
  return pulled;
}

// An image without needs runs exactly as under docker run.
async function plainRun(engine: Engine, parsed: ParsedRun, output: Output): Promise<number> {
  const argv = ['run', ...parsed.dockerOptions, '--', parsed.image, ...parsed.command];
  if (parsed.berth.dryRun) {
    output.stdout(`${parsed.image} declares no needs; it runs as with docker run:\n${engine.command} ${shellQuote(argv)}\n`);
    return 0;
  }
  return engineAttached(engine, argv);
}

function dryRun(engine: Engine, parsed: ParsedRun, resolution: Resolution, output: Output, record: (plan: RunPlan) => Record<string, string>): number {
  const rows = [['NEED', 'RESOLVED TO'], ...resolution.rows.map((r) => [`${r.kind} ${r.name}`, r.result])];
  for (const unmet of resolution.unmet) {
    const provider = unmet.provider ? ` (provider would run: ${shellQuote([...unmet.provider.argv, unmet.provider.kind, unmet.provider.name])})` : '';
    rows.push([`${unmet.need.kind} ${needName(unmet.need)}`, `NOT MET: ${unmet.problem}${provider}`]);
  }
  output.stdout(`${table(rows)}\n`);
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
  const commands = startCommands(plan, parsed, { ...engineStartOptions(engine), labels: record(plan) });
  if (commands.mode === 'run') lines.push(`${engine.command} ${shellQuote(commands.run)}`);
  else {
    lines.push(`${engine.command} ${shellQuote(commands.create)}`);
    for (const a of commands.connects) {
      const addresses = { ...(a.ipv6 ? { ip6: a.ipv6 } : {}), ...(a.ipv4 ? { ip: a.ipv4 } : {}) };
      lines.push(`${engine.command} ${shellQuote(networkConnectArgs(a.network.name, CONTAINER, addresses))}`);
    }
    lines.push(`${engine.command} ${shellQuote(commands.start)}`);
  }
  output.stdout(`\n${lines.join('\n')}\n`);
  return 0;
}

