import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { IMAGE_LABEL } from '../core/containers/run-labels.js';
import type { ParsedRun } from '../core/docker-cli/parse-run-args.js';
import { BerthError, isBerthError } from '../core/errors.js';
import type { HostNetwork } from '../core/host/host-config.js';
import { hasDeclaredSubnets, subnetClashes } from '../core/host/engine-subnets.js';
import { formatSubnet } from '../core/ip.js';
import { CONTAINER, connectAddresses, networkSpec, startCommands, type StartOptions } from '../core/plan/docker-argv.js';
import type { Attachment, NdpEntry, RunPlan } from '../core/plan/resolution.js';
import { engineAttached, engineCall, lastLine, type Engine } from '../edge/engine.js';
import { makeScratchFolder } from '../edge/scratch-folder.js';
import { addNdpProxy, listNdpProxies, removeNdpProxy } from '../edge/ndp.js';
import type { Output } from './output.js';
import { connectNetwork, createNetwork, inspectNetwork, type NetworkFacts } from '../edge/networks.js';

const CREATE_RACE_ATTEMPTS = 10;
const CREATE_RACE_DELAY_MS = 100;

/**
 * The run as berth starts it: by the image id it inspected, so that a tag moved in the meantime
 * (a provider can run `docker tag`) cannot swap what runs, with the user's reference kept as a label.
 */
export function byImageId(parsed: ParsedRun, imageId: string): ParsedRun {
  if (imageId === '') return parsed;
  const label = ['--label', `${IMAGE_LABEL}=${parsed.image}`];
  return { ...parsed, image: imageId, dockerOptions: [...label, ...parsed.dockerOptions], createOptions: [...label, ...parsed.createOptions] };
}

/** How the engine starts a container best: podman 4 takes every network, with its addresses, in one `run`, and no-copy only on `-v`. */
export function engineStartOptions(engine: Engine): StartOptions {
  return { inlineNetworks: engine.name === 'podman', noCopyOnlyInVolumeFlag: engine.name === 'podman' };
}

// `docker run`'s own status when it could not start the container.
const ENGINE_CANNOT_START = 125;

// Exit statuses of `run` that may be the engine's own failure rather than the container's: 125,
// and 126/127, which both engines also give when the container fails to start (a mount the
// runtime refuses, a command it cannot execute), not only when its command ran and exited so.
const ENGINE_FAILURES: readonly number[] = [ENGINE_CANNOT_START, 126, 127];

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
export async function startContainer(engine: Engine, plan: RunPlan, parsed: ParsedRun, output: Output, imageId = '', labels: Readonly<Record<string, string>> = {}): Promise<number> {
  const undo = new Undo();
  // Whole seconds, a second early: what the engine's event log is asked from.
  const since = Math.floor(Date.now() / 1000) - 1;
  const scratch = makeScratchFolder(tmpdir(), 'berth-run-');
  try {
    await createNetworks(engine, plan.attachments, undo);
    await addProxies(plan.ndp, undo);
    const userCidfile = parsed.asked.cidfile;
    const cidfile = userCidfile ?? scratch.file('cid');
    const commands = startCommands(plan, byImageId(parsed, imageId), { ...engineStartOptions(engine), labels, ...(userCidfile === undefined ? { cidfile } : {}) });
    if (commands.mode === 'run') {
      const status = await engineAttached(engine, commands.run);
      if (!ENGINE_FAILURES.includes(status)) return status;
      const id = readCidfile(cidfile);
      if (!(await neverStarted(engine, id, since))) return status;
      throw await refusal(engine, plan.attachments, parsed.image, id);
    }
    const created = await engineCall(engine, commands.create);
    const id = created.stdout.trim().split('\n').at(-1) ?? '';
    if (created.exitCode !== 0 || id === '') {
      throw await refusal(engine, plan.attachments, parsed.image, '', lastLine(created.stderr));
    }
    undo.add(() => engineCall(engine, ['rm', '--force', '--volumes', id]));
    for (const attachment of commands.connects) {
      const joined = await connectNetwork(engine, attachment.network.name, id, connectAddresses(attachment));
      if (!joined.ok) throw await refusal(engine, [attachment], parsed.image, id, joined.message);
    }
    const start = commands.start.map((arg) => (arg === CONTAINER ? id : arg));
    if (parsed.asked.detach) {
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
    // `start --attach` exits 1 when the container cannot start; a container that ran may exit 1 too.
    if (status !== 0 && (await neverStarted(engine, id, since))) {
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
    scratch.remove();
  }
}

// The container id docker run wrote, or nothing if it never got that far.
function readCidfile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Creates the plan's missing networks from their host entries; a network another run made meanwhile is fine when alike. */
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
    { code: 'network.overlaps' },
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

/** Adds the plan's NDP proxy entries; those that were not there before are taken back by `undo`. */
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

// True when the container never ran: its record says so, or it is gone (`--rm`) and the engine's
// event log has no start for it. Unknown (no event log) counts as ran, so a status is never hidden.
// The log may lag behind the exit on a busy machine (podman writes it as it goes), so a log
// without the start is read again a few times before berth believes it.
async function neverStarted(engine: Engine, id: string, since: number): Promise<boolean> {
  if (id === '') return true;
  const state = await containerState(engine, id);
  if (state !== 'missing') return state === 'never-started';
  for (let read = 1; ; read += 1) {
    const until = Math.ceil(Date.now() / 1000);
    const events = await engineCall(engine, ['events', '--since', String(since), '--until', String(until), '--filter', `container=${id}`, '--filter', 'event=start', '--format', '{{.ID}}']);
    if (events.exitCode !== 0 || events.stdout.trim() !== '') return false;
    if (read === EVENT_LOG_READS) return true;
    await sleep(EVENT_LOG_LAG_MS);
  }
}

const EVENT_LOG_READS = 3;
const EVENT_LOG_LAG_MS = 250;

// The engine refused to start the container: name the address another container took, if one did.
export async function refusal(engine: Engine, attachments: readonly Attachment[], image: string, ownId: string, detail?: string): Promise<BerthError> {
  if (ownId !== '') await engineCall(engine, ['rm', '--force', '--volumes', ownId]);
  const taken = await takenAddress(engine, attachments, ownId);
  if (taken) {
    const { address, network, container } = taken;
    return new BerthError(
      `cannot start ${image}: ${address} on network ${network} was taken by container ${container} after berth checked it; nothing was left behind (stop ${container}, or run again later)`,
      { code: 'run.address-taken' },
    );
  }
  return new BerthError(`cannot start ${image}: the engine refused${detail ? `: ${detail}` : ' (see its message above)'}; berth removed what it had created`, {
    code: 'run.refused',
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
