import { basename, dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ParsedCompose } from '../core/compose/args.js';
import { serviceConflicts, serviceWins } from '../core/compose/conflicts.js';
import { overrideText, type ServicePlan } from '../core/compose/override.js';
import { readComposeProject, type ComposeProject, type ComposeService } from '../core/compose/project.js';
import { BerthError, EXIT_CANNOT_START } from '../core/errors.js';
import type { HostConfig } from '../core/host/host-config.js';
import { decodeLabels } from '../core/labels.js';
import { table } from '../core/needs/describe.js';
import { needId, needName, type Need } from '../core/needs/need.js';
import { networkCreateArgs, networkSpec, shellQuote } from '../core/plan/docker-argv.js';
import type { Attachment, NdpEntry, Resolution, RunPlan } from '../core/plan/resolution.js';
import { resolveNeeds } from '../core/plan/resolve.js';
import type { WorldState } from '../core/plan/world-state.js';
import { printable } from '../core/printable.js';
import { berthProjectContainers, serviceContainers, composeAttached, composeCall, defaultComposeFiles, writeOverride, type ComposeCli } from '../edge/compose.js';
import { engineCall, type Engine } from '../edge/engine.js';
import { removeNdpProxy } from '../edge/ndp.js';
import { inspectNetwork } from '../edge/networks.js';
import { hostConfigPath, readHostConfig } from '../edge/host-file.js';
import { inspectImage, type ImageFacts } from '../edge/images.js';
import { observeWorld } from './observe-world.js';
import type { Output } from './output.js';
import { runProviders } from './providers.js';
import { IMAGE_LABEL, Undo, addProxies, createNetworks } from './start.js';

/** Commands that create or start containers: berth resolves every service's needs first. */
const STARTING = new Set(['up', 'create', 'run', 'start']);

/** A service's Dockerfile, as far as berth must know it: whether it has statements, so berth builds it. */
export type ExtendedBuild = (service: ComposeService, tag: string, dockerOptions: readonly string[]) => Promise<'plain' | number>;

export interface ComposeRun {
  readonly cli: ComposeCli;
  readonly engine: Engine;
  readonly output: Output;
  /** Builds a service whose Dockerfile has statements (as `berth build`); `plain` when it has none. */
  readonly build: ExtendedBuild;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * `berth compose`: compose with every service's needs resolved as `berth run` resolves them, in
 * an override file added after the user's files. Nothing is started while any need is unmet.
 */
export async function composeProject(parsed: ParsedCompose, run: ComposeRun): Promise<number> {
  const { cli } = run;
  const command = parsed.command;
  if (command === 'down') return down(parsed, run);
  if (command === undefined || !(STARTING.has(command) || command === 'build' || command === 'config')) {
    return composeAttached(cli, [...parsed.globals, ...(command === undefined ? [] : [command]), ...parsed.args]);
  }
  if (parsed.files.includes('-')) {
    throw new BerthError(`berth compose ${command} reads the project twice (compose config, then compose ${command}), so it cannot take it from stdin (-f -): write it to a file`, { code: 'compose.stdin', exitCode: EXIT_CANNOT_START });
  }
  const merged = await mergedProject(parsed, run);
  if (!merged.ok) return merged.status;
  const { project, projectName, globals } = merged;
  const imageOf = (service: ComposeService) => service.image ?? `${projectName}${cli.prefix.length > 0 ? '-' : '_'}${service.name}`;

  const wantsBuild = command === 'build' || (command === 'up' && parsed.args.includes('--build'));
  const asked = command === 'build' ? new Set(buildServices(parsed.args)) : undefined;
  const leftToCompose: string[] = [];
  const buildOptions = command === 'build' ? dockerBuildOptions(parsed.args) : [];
  for (const service of project.services) {
    if (!service.build || (asked && asked.size > 0 && !asked.has(service.name))) continue;
    const tag = imageOf(service);
    // A dry run and config build nothing; the others build what compose would: everything with --build, else what is missing.
    if (parsed.berth.dryRun || command === 'config' || (!wantsBuild && (await inspectImage(run.engine, tag)))) continue;
    const built = await run.build(service, tag, buildOptions);
    if (built === 'plain') leftToCompose.push(service.name);
    else if (built !== 0) return built;
  }
  if (command === 'build') {
    if (leftToCompose.length === 0) return 0;
    return composeAttached(cli, [...globals, 'build', ...parsed.args.filter((arg) => !asked?.has(arg)), ...leftToCompose]);
  }
  if (leftToCompose.length > 0) {
    const status = await composeAttached(cli, [...globals, 'build', ...leftToCompose]);
    if (status !== 0) return status;
  }

  const plans = await resolveServices(project.services, imageOf, parsed, { ...run, own: await serviceContainers(run.engine, projectName) });
  const args = command === 'up' ? parsed.args.filter((arg) => arg !== '--build') : parsed.args;
  if (parsed.berth.dryRun) return dryRun(plans, [...globals, '-f', 'OVERRIDE', command, ...args], run);
  const override = await writeOverride(overrideText(plans.map((p) => p.servicePlan)));
  const undo = new Undo();
  try {
    if (command !== 'config') {
      await createNetworks(run.engine, uniqueAttachments(plans.map((p) => p.servicePlan.plan)), undo);
      await addProxies(plans.flatMap((p) => p.servicePlan.plan.ndp), undo);
    }
    const status = await composeAttached(cli, [...globals, '-f', override.path, command, ...args]);
    // A failed compose that made no container leaves nothing; one that did (an up stopped
    // halfway, or interrupted) keeps what its containers stand on.
    if (status !== 0 && (await serviceContainers(run.engine, projectName)).size === 0) await undo.run();
    return status;
  } catch (caught) {
    await undo.run();
    throw caught;
  } finally {
    await override.remove();
  }
}

// berth's own -f stops compose from looking for its default files, so berth names them.
async function mergedProject(parsed: ParsedCompose, run: ComposeRun): Promise<
  { ok: true; project: ComposeProject; projectName: string; globals: string[] } | { ok: false; status: number }
> {
  const found = parsed.files.length > 0 ? [] : await defaultComposeFiles(parsed.projectDirectory ?? run.cwd, run.env);
  const globals = [...parsed.globals, ...found.flatMap((file) => ['-f', file])];
  const config = await composeCall(run.cli, [...globals, 'config']);
  if (config.exitCode !== 0) {
    run.output.stderr(config.stderr);
    return { ok: false, status: config.exitCode };
  }
  const project = readComposeProject(parse(config.stdout));
  const projectName = nameOf(parsed, project.name, [...parsed.files.map((f) => resolve(run.cwd, f)), ...found], run);
  return { ok: true, project, projectName, globals };
}

/**
 * `down`, then what the project's berth containers held: NDP proxy
 * entries no container holds any more, and host-file networks no container is left on.
 */
async function down(parsed: ParsedCompose, run: ComposeRun): Promise<number> {
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

interface Resolved {
  readonly service: ComposeService;
  readonly ref: string;
  readonly resolution: Resolution;
  readonly servicePlan: ServicePlan;
}

// Every service is resolved before anything is created; every unmet need of every service is listed.
// The containers compose already made for each service: compose replaces them, so the addresses they hold are the service's own.
type OwnContainers = { readonly own: ReadonlyMap<string, readonly string[]> };

async function resolveServices(services: readonly ComposeService[], imageOf: (s: ComposeService) => string, parsed: ParsedCompose, run: ComposeRun & OwnContainers): Promise<Resolved[]> {
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
    resolved.push({ service, ref, resolution, servicePlan: { service: service.name, plan, labels: { [IMAGE_LABEL]: ref } } });
  }
  failures.push(...sharedAddresses(resolved));
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

// `x-berth: {bind: {web: web-b}}`: the need named web is met by the host's entry web-b. `hosts`
// keeps, by the image's need id, which host entry meets each bound need.
function bindNeeds(service: ComposeService, needs: readonly Need[]): { ok: true; needs: Need[]; hosts: ReadonlyMap<string, string> } | { ok: false; problem: string } {
  const unused = [...service.bind.keys()].filter((name) => !needs.some((need) => needName(need) === name));
  if (unused.length > 0) return { ok: false, problem: `x-berth bind names ${unused.map((n) => `"${n}"`).join(', ')}, which its image does not need` };
  const literal = needs.find((need) => need.kind === 'address' && need.ref.type === 'literal' && service.bind.has(needName(need)));
  if (literal) return { ok: false, problem: `x-berth bind names the literal address ${needName(literal)}, which no host entry can stand for` };
  const hosts = new Map<string, string>();
  const bound = needs.map((need): Need => {
    const host = service.bind.get(needName(need));
    if (host === undefined) return need;
    if (need.kind === 'address' && need.ref.type !== 'name') return need;
    hosts.set(needId(need), host);
    return need.kind === 'address' ? { ...need, ref: { type: 'name', name: host } } : { ...need, name: host };
  });
  return { ok: true, needs: bound, hosts };
}

function unmetLines(service: string, ref: string, resolution: Resolution): string {
  const lines = resolution.unmet.flatMap((u) => [`    ${u.need.kind} ${needName(u.need)}: ${u.problem}`, `      fix: ${u.fix}`]);
  return `service ${service} (${ref}): ${resolution.unmet.length} need${resolution.unmet.length === 1 ? ' is' : 's are'} not met\n${lines.join('\n')}`;
}

// Two services cannot hold one address: the engine would start one and refuse the other.
function sharedAddresses(resolved: readonly Resolved[]): string[] {
  const holders = new Map<string, string[]>();
  for (const { service, servicePlan } of resolved) {
    for (const a of servicePlan.plan.attachments) {
      for (const address of [a.ipv6, a.ipv4]) {
        if (address === undefined) continue;
        const key = `${address} on network ${a.network.name}`;
        holders.set(key, [...(holders.get(key) ?? []), service.name]);
      }
    }
  }
  return [...holders].filter(([, names]) => names.length > 1).map(([address, names]) => `services ${names.join(' and ')} both need ${address}; bind one of them to another address (x-berth: {bind: ...})`);
}

function uniqueAttachments(plans: readonly RunPlan[]): Attachment[] {
  const byName = new Map<string, Attachment>();
  for (const a of plans.flatMap((p) => p.attachments)) if (!byName.has(a.network.name)) byName.set(a.network.name, a);
  return [...byName.values()];
}

function dryRun(plans: readonly Resolved[], composeArgs: readonly string[], run: ComposeRun): number {
  const out: string[] = [];
  for (const { service, ref, resolution } of plans) {
    out.push(`service ${service.name} (${ref}):`);
    const rows = [
      ...resolution.rows.map((r) => [`${r.kind} ${r.name}`, r.result]),
      ...resolution.unmet.map((u) => [`${u.need.kind} ${needName(u.need)}`, `NOT MET: ${u.problem}${u.provider ? ` (provider would run: ${shellQuote([...u.provider.argv, u.provider.kind, u.provider.name])})` : ''}`]),
    ];
    out.push(rows.length === 0 ? '  declares no needs' : table([['NEED', 'RESOLVED TO'], ...rows.map((row) => row.map((cell) => printable(cell, 400)))]).replace(/^/gm, '  '));
  }
  if (plans.some((p) => !p.resolution.plan)) {
    run.output.stdout(`${out.join('\n')}\n\nthe override and the commands depend on what the providers make available\n`);
    return 0;
  }
  const commands: string[] = [];
  for (const a of uniqueAttachments(plans.map((p) => p.servicePlan.plan))) if (a.create) commands.push(`${run.engine.command} ${shellQuote(networkCreateArgs(networkSpec(a.network)))}`);
  for (const { address, iface } of plans.flatMap((p): readonly NdpEntry[] => p.servicePlan.plan.ndp)) commands.push(`ip -6 neigh replace proxy ${address} dev ${iface}`);
  commands.push(`${run.cli.display} ${shellQuote(composeArgs)}`);
  out.push('', 'OVERRIDE:', overrideText(plans.map((p) => p.servicePlan)).trimEnd(), '', ...commands);
  run.output.stdout(`${out.join('\n')}\n`);
  return 0;
}

// The options of `compose build` that docker build has too, for the services berth builds.
function dockerBuildOptions(args: readonly string[]): string[] {
  const options: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--no-cache' || arg === '--pull') options.push(arg);
    else if (arg === '-q' || arg === '--quiet') options.push('-q');
    else if (arg === '--build-arg' && args[i + 1] !== undefined) options.push(arg, args[(i += 1)] ?? '');
    else if (arg.startsWith('--build-arg=')) options.push(arg);
  }
  return options;
}

// The services `compose build` was asked for: its arguments that are not options or their values.
function buildServices(args: readonly string[]): string[] {
  const valued = new Set(['--build-arg', '-m', '--memory', '--progress', '--ssh', '--builder']);
  const names: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (valued.has(arg)) i += 1;
    else if (!arg.startsWith('-')) names.push(arg);
  }
  return names;
}

// The project name as compose picks it, which names the images it builds: -p, $COMPOSE_PROJECT_NAME,
// the file's `name:`, else the project folder's name with only lower-case letters, digits, - and _.
function nameOf(parsed: ParsedCompose, named: string | undefined, files: readonly string[], run: ComposeRun): string {
  const given = parsed.projectName ?? (run.env['COMPOSE_PROJECT_NAME'] || named);
  if (given) return given;
  const folder = parsed.projectDirectory ? resolve(run.cwd, parsed.projectDirectory) : dirname(files[0] ?? resolve(run.cwd, 'x'));
  return basename(folder).toLowerCase().replace(/[^a-z0-9_-]/g, '');
}
