import type { ParsedCompose } from '../core/compose/args.js';
import { buildServices, dockerBuildOptions } from '../core/compose/build-args.js';
import { overrideText } from '../core/compose/override.js';
import type { ComposeService } from '../core/compose/project.js';
import { BerthError, EXIT_CANNOT_START } from '../core/errors.js';
import { table } from '../core/needs/describe.js';
import { needName } from '../core/needs/need.js';
import { networkCreateArgs, networkSpec, shellQuote } from '../core/plan/docker-argv.js';
import type { Attachment, NdpEntry, RunPlan } from '../core/plan/resolution.js';
import { printable } from '../core/printable.js';
import { composeAttached, serviceContainers, writeOverride } from '../edge/compose.js';
import { inspectImage } from '../edge/images.js';
import { composeDown } from './compose-down.js';
import { mergedProject, type ComposeRun } from './compose-project.js';
import { resolveServices, type Resolved } from './compose-services.js';
import { Undo, addProxies, createNetworks } from './start.js';

export type { ComposeRun, ExtendedBuild } from './compose-project.js';

/** Commands that create or start containers: berth resolves every service's needs first. */
const STARTING = new Set(['up', 'create', 'run', 'start']);

/**
 * `berth compose`: compose with every service's needs resolved as `berth run` resolves them, in
 * an override file added after the user's files. Nothing is started while any need is unmet.
 */
export async function composeProject(parsed: ParsedCompose, run: ComposeRun): Promise<number> {
  const { cli } = run;
  const command = parsed.command;
  if (command === 'down') return composeDown(parsed, run);
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

