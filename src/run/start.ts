import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ParsedRun } from '../core/docker-cli/parse-run-args.js';
import { BerthError, EXIT_CANNOT_START, isBerthError } from '../core/errors.js';
import type { HostNetwork } from '../core/host/host-config.js';
import { hasDeclaredSubnets, subnetClashes } from '../core/host/engine-subnets.js';
import { formatSubnet } from '../core/host/host-config.js';
import { CONTAINER, startCommands, type StartOptions } from '../core/plan/docker-argv.js';
import type { Attachment, NdpEntry, RunPlan } from '../core/plan/resolution.js';
import { engineAttached, engineCall, lastLine, type Engine, type EngineName } from '../edge/engine.js';
import { addNdpProxy, listNdpProxies, removeNdpProxy } from '../edge/ndp.js';
import type { Output } from '../cli/output.js';
import { connectNetwork, createNetwork, inspectNetwork, type NetworkFacts, type NetworkSpec } from '../edge/networks.js';

const CREATE_RACE_ATTEMPTS = 10;
const CREATE_RACE_DELAY_MS = 100;

/** The network spec berth creates for a host entry the engine does not have. */
export function networkSpec(network: HostNetwork): NetworkSpec {
  return {
    name: network.name,
    ...(network.subnet6 ? { subnet6: formatSubnet(network.subnet6) } : {}),
    ...(network.gateway6 ? { gateway6: network.gateway6 } : {}),
    ...(network.subnet4 ? { subnet4: formatSubnet(network.subnet4) } : {}),
    ...(network.gateway4 ? { gateway4: network.gateway4 } : {}),
    options: Object.fromEntries(network.options),
  };
}

/** How the engine starts a container best: podman 4 takes every network, with its addresses, in one `run`. */
export function engineStartOptions(engine: Engine): StartOptions {
  return { inlineNetworks: engine.name === 'podman' };
}

// Exit statuses of `run` that may be the engine's own failure rather than the container's:
// podman run exits 126, not 125, when it cannot set up the container's network at start.
const ENGINE_FAILURES: Readonly<Record<EngineName, readonly number[]>> = { docker: [EXIT_CANNOT_START], podman: [EXIT_CANNOT_START, 126] };

/** What this run made on the host, so that a failed start can take it back. */
export class Undo {
  private readonly steps: (() => Promise<unknown>)[] = [];
  add(step: () => Promise<unknown>): void {
    this.steps.unshift(step);
  }
  async run(): Promise<void> {
    for (const step of this.steps) await step().catch(() => undefined);
  }
}

/**
 * Creates what the plan needs (networks, NDP proxy entries) and starts the container as
 * `docker run` would, returning the container's exit status. If the engine still refuses (an
 * address taken since berth looked), everything this run made is removed and berth says why.
 */
export async function startContainer(engine: Engine, plan: RunPlan, parsed: ParsedRun, output: Output, labels: Readonly<Record<string, string>> = {}): Promise<number> {
  const undo = new Undo();
  const scratch = await mkdtemp(join(tmpdir(), 'berth-run-'));
  try {
    await createNetworks(engine, plan.attachments, undo);
    await addProxies(plan.ndp, undo);
    const userCidfile = parsed.facts.cidfile;
    const cidfile = userCidfile ?? join(scratch, 'cid');
    const commands = startCommands(plan, parsed, { ...engineStartOptions(engine), labels, ...(userCidfile === undefined ? { cidfile } : {}) });
    if (commands.mode === 'run') {
      const status = await engineAttached(engine, commands.run);
      if (!ENGINE_FAILURES[engine.name].includes(status)) return status;
      const id = await readFile(cidfile, 'utf8').then((text) => text.trim(), () => '');
      if (id !== '' && (await containerState(engine, id)) === 'started') return status;
      // podman's 126 is also its own exec failure ("permission denied"), passed on as podman run does.
      if (status !== EXIT_CANNOT_START && !(await takenAddress(engine, plan.attachments, id))) return status;
      throw await refusal(engine, plan.attachments, parsed.image, id);
    }
    const created = await engineCall(engine, commands.create);
    const id = created.stdout.trim().split('\n').at(-1) ?? '';
    if (created.exitCode !== 0 || id === '') {
      throw await refusal(engine, plan.attachments, parsed.image, '', lastLine(created.stderr));
    }
    undo.add(() => engineCall(engine, ['rm', '--force', '--volumes', id]));
    for (const attachment of commands.connects) {
      const addresses = { ...(attachment.ipv6 ? { ip6: attachment.ipv6 } : {}), ...(attachment.ipv4 ? { ip: attachment.ipv4 } : {}) };
      const joined = await connectNetwork(engine, attachment.network.name, id, addresses);
      if (!joined.ok) throw await refusal(engine, [attachment], parsed.image, id, joined.message);
    }
    const start = commands.start.map((arg) => (arg === CONTAINER ? id : arg));
    if (parsed.facts.detach) {
      const started = await engineCall(engine, start);
      if (started.exitCode !== 0) throw await refusal(engine, plan.attachments, parsed.image, id, lastLine(started.stderr));
      output.stdout(`${id}\n`);
      return 0;
    }
    // Newer docker CLIs detach from `start --attach` on SIGINT/SIGTERM instead of passing them on,
    // so berth signals the container itself and then waits for its real exit status.
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals, delivered: boolean) => {
      signalled = true;
      if (!delivered) void engineCall(engine, ['kill', '--signal', signal, id]);
    };
    const status = await engineAttached(engine, start, { onSignal });
    if (status === EXIT_CANNOT_START && (await containerState(engine, id)) !== 'started') {
      throw await refusal(engine, plan.attachments, parsed.image, id);
    }
    if (!signalled) return status;
    const waited = await engineCall(engine, ['wait', id]);
    const exit = Number(waited.stdout.trim());
    return waited.exitCode === 0 && Number.isInteger(exit) ? exit : status;
  } catch (caught) {
    await undo.run();
    throw caught;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function createNetworks(engine: Engine, attachments: readonly Attachment[], undo: Undo): Promise<void> {
  for (const { network, create } of attachments) {
    if (!create) continue;
    try {
      await createNetwork(engine, networkSpec(network));
      undo.add(() => engineCall(engine, ['network', 'rm', network.name]));
    } catch (caught) {
      // Another berth run may be creating it at the same moment; that is fine if it is the same network.
      const now = await createdMeanwhile(engine, network.name);
      if (now && hasDeclaredSubnets(network, now.subnets)) continue;
      throw (await overlapping(engine, network)) ?? caught;
    }
  }
}

// The engine only says "Pool overlaps"; name the network in the way, so the user knows what to change.
async function overlapping(engine: Engine, network: HostNetwork): Promise<BerthError | undefined> {
  const listed = await engineCall(engine, ['network', 'ls', '--format', '{{.Name}}']);
  const names = listed.stdout.split('\n').map((line) => line.trim()).filter((name) => name !== '' && name !== network.name);
  const others = await Promise.all(names.map((name) => inspectNetwork(engine, name).catch(() => undefined)));
  const [clash] = subnetClashes(network, others.filter((other) => other !== undefined));
  if (!clash) return undefined;
  return new BerthError(
    `cannot create network ${network.name}: its subnet ${formatSubnet(clash.subnet)} overlaps ${clash.cidr} of network ${clash.network}; nothing was started (choose another subnet for ${network.name} in the host file, or remove ${clash.network})`,
    { code: 'network.overlaps', exitCode: EXIT_CANNOT_START },
  );
}

// A concurrent create of the same network fails with "Pool overlaps" before the winner's network
// is visible, so look a few times before deciding it is not there.
async function createdMeanwhile(engine: Engine, name: string): Promise<NetworkFacts | undefined> {
  for (let attempt = 0; ; attempt++) {
    const now = await inspectNetwork(engine, name);
    if (now || attempt === CREATE_RACE_ATTEMPTS) return now;
    await sleep(CREATE_RACE_DELAY_MS);
  }
}

export async function addProxies(entries: readonly NdpEntry[], undo: Undo): Promise<void> {
  for (const { address, iface } of entries) {
    const existing = await listNdpProxies(iface);
    await addNdpProxy(address, iface);
    if (!existing.includes(address)) undo.add(() => removeNdpProxy(address, iface));
  }
}

// Exit status 125 is docker's own failure, unless the container really ran and exited with it.
async function containerState(engine: Engine, id: string): Promise<'missing' | 'never-started' | 'started'> {
  const result = await engineCall(engine, ['container', 'inspect', '--format', '{{.State.Status}} {{.State.StartedAt}}', id]);
  if (result.exitCode !== 0) return 'missing';
  const [status = '', startedAt = ''] = result.stdout.trim().split(' ');
  const never = ['created', 'configured', 'initialized'].includes(status) || startedAt.startsWith('0001-01-01');
  return never ? 'never-started' : 'started';
}

// The engine refused to start the container: name the address another container took, if one did.
export async function refusal(engine: Engine, attachments: readonly Attachment[], image: string, ownId: string, detail?: string): Promise<BerthError> {
  if (ownId !== '') await engineCall(engine, ['rm', '--force', '--volumes', ownId]);
  const taken = await takenAddress(engine, attachments, ownId);
  if (taken) {
    const { address, network, container } = taken;
    return new BerthError(
      `cannot start ${image}: ${address} on network ${network} was taken by container ${container} after berth checked it; nothing was left behind (stop ${container}, or run again later)`,
      { code: 'run.address-taken', exitCode: EXIT_CANNOT_START },
    );
  }
  return new BerthError(`cannot start ${image}: the engine refused${detail ? `: ${detail}` : ' (see its message above)'}; berth removed what it had created`, {
    code: 'run.refused',
    exitCode: EXIT_CANNOT_START,
  });
}

// An address of the plan that another container now holds.
async function takenAddress(engine: Engine, attachments: readonly Attachment[], ownId: string): Promise<{ address: string; network: string; container: string } | undefined> {
  for (const { network, ipv6, ipv4 } of attachments) {
    const now = await inspectNetwork(engine, network.name).catch((caught: unknown) => {
      if (isBerthError(caught)) return undefined;
      throw caught;
    });
    for (const address of [ipv6, ipv4]) {
      const holder = address && now?.holders.find((h) => (h.ipv6 === address || h.ipv4 === address) && !h.id.startsWith(ownId || '\0'));
      if (holder) return { address, network: network.name, container: holder.container };
    }
  }
  return undefined;
}
