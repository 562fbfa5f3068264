import { setTimeout as sleep } from 'node:timers/promises';
import { viewContainer } from '../core/containers/container-view.js';
import { decodeRunLabels } from '../core/containers/run-labels.js';
import type { ObservedContainer } from '../core/containers/observed.js';
import type { ParsedRun } from '../core/docker-cli/parse-run-args.js';
import { BerthError } from '../core/errors.js';
import type { HostConfig } from '../core/host/host-config.js';
import { startCommands } from '../core/plan/docker-argv.js';
import type { WorldState } from '../core/plan/world-state.js';
import type { RunPlan } from '../core/plan/resolution.js';
import { containerMacs, inspectContainers, observeContainers } from '../edge/containers.js';
import { engineCall, lastLine, type Engine, type EngineResult } from '../edge/engine.js';
import { networksReleased } from '../edge/events.js';
import { announceNeighbour, neighbourLink } from '../edge/ndp.js';
import { connectNetwork } from '../edge/networks.js';
import { say, type Output } from './output.js';
import { releaseProxies } from './remove-containers.js';
import { addProxies, byImageId, createNetworks, engineStartOptions, refusal, Undo } from './start.js';

// The new container starts as soon as the old one has left the networks it joins, so that their
// addresses are free. Docker says so in its event log (a disconnect from each network) about
// 100 ms after the old one died; berth sees that at once, where a poll sees it only at its next
// `container inspect` (a CLI start each, which blocks until then) and `docker stop` returns
// later still.
async function stopOld(engine: Engine, old: ObservedContainer, plan: RunPlan): Promise<EngineResult> {
  const joined = new Set(plan.attachments.map(({ network }) => network.name));
  const networks = old.networks.map(({ name }) => name).filter((name) => joined.has(name));
  if (engine.name !== 'docker' || old.state !== 'running' || networks.length === 0) return stopSoon(engine, old.id);
  const listening = new AbortController();
  // Only what follows this stop: an earlier disconnect (a restart, a reconnect) frees nothing now.
  const released = networksReleased(engine, old.id, networks, Date.now() / 1000, listening.signal);
  const stopping = engineCall(engine, ['stop', old.id]);
  // An event stream that ends early leaves it to the stop.
  const first = await Promise.race([released.then((left) => (left ? undefined : stopping)), stopping]);
  if (first === undefined) {
    void stopping.catch(() => undefined);
    return STOPPED;
  }
  // Stopped: docker logs the stop after the release, so the event is there or due at any moment.
  if (first.exitCode === 0) await Promise.race([released, sleep(RELEASE_WAIT_MS, undefined, { signal: listening.signal }).catch(() => undefined)]);
  listening.abort();
  return first;
}

const RELEASE_WAIT_MS = 1000;

// The old container seen stopped before its `docker stop` returned.
const STOPPED: EngineResult = { exitCode: 0, stdout: '', stderr: '' };

// Otherwise (podman, an old container that is not plainly running or shares no network with the
// new one) the old one is polled until it is seen not running, since its stop returns only after
// its cleanup, which may take a while longer.
async function stopSoon(engine: Engine, id: string): Promise<EngineResult> {
  let done: EngineResult | undefined;
  const stopping = engineCall(engine, ['stop', id]).then((result) => (done = result));
  await sleep(STOP_POLL_MS);
  while (done === undefined) {
    const state = await engineCall(engine, ['container', 'inspect', '--format', '{{.State.Running}}', id]);
    if (state.exitCode === 0 && state.stdout.trim() === 'false') {
      void stopping.catch(() => undefined);
      return STOPPED;
    }
    await sleep(STOP_POLL_MS);
  }
  return done;
}

const STOP_POLL_MS = 50;

// The host's neighbour table may still hold the old container's link-layer address for an
// address, or an unanswered solicitation made while no container had it (the host asks again
// only a second later): tell it where each address is now, so that the first packets after the
// start reach the new container. `links` were looked up while the old one stopped.
async function announceAddresses(engine: Engine, id: string, links: Promise<readonly NeighbourLink[]>): Promise<void> {
  const known = await links;
  if (known.length === 0) return;
  const macs = await containerMacs(engine, id);
  await Promise.all(known.map(async ({ network, address, iface }) => {
    const mac = macs.get(network);
    if (mac !== undefined) await announceNeighbour(address, mac, iface).catch(() => false);
  }));
}

export interface NeighbourLink {
  readonly network: string;
  readonly address: string;
  readonly iface: string;
}

/** The host interface each IPv6 address of the plan is reached on, where berth may tell the host about it. */
export async function neighbourLinks(plan: RunPlan): Promise<readonly NeighbourLink[]> {
  const found = await Promise.all(plan.attachments.map(async ({ network, ipv6 }) => {
    const iface = ipv6 === undefined ? undefined : await neighbourLink(ipv6).catch(() => undefined);
    return ipv6 === undefined || iface === undefined ? [] : [{ network: network.name, address: ipv6, iface }];
  }));
  return found.flat();
}

/** The container `--replace` names, checked before anything is resolved. */
export async function containerToReplace(engine: Engine, ref: string, parsed: ParsedRun, hostFile: string, host: HostConfig): Promise<ObservedContainer> {
  if (!parsed.asked.detach) {
    throw new BerthError(`--replace ${ref} starts the new container in the background: add -d`, { code: 'run.replace-attached' });
  }
  const [old] = await inspectContainers(engine, [ref]);
  if (!old) throw new BerthError(`--replace ${ref}: no such container; nothing was created`, { code: 'run.replace-missing' });
  // A container berth started must have labels berth can trust: what it holds is released afterwards.
  // One berth did not start may be replaced too; it holds nothing berth would release.
  const view = viewContainer(old, hostFile, host, new Map());
  if (decodeRunLabels(old.labels).present && view.problems.length > 0) {
    throw new BerthError(`--replace ${old.name}: ${view.problems.join('; ')}; nothing was created`, { code: 'run.replace-untrusted' });
  }
  return old;
}

/**
 * The name the new container has until the old one is gone, when it is to take the old one's
 * name: `web-berth-new`. A leftover of that name makes the create fail, leaving the old one as it is.
 */
export function temporaryName(parsed: ParsedRun, old: ObservedContainer): string | undefined {
  return parsed.asked.name === old.name ? `${old.name}-berth-new` : undefined;
}

/** The facts as if `old` were gone: the new container may take what it holds. */
export function withoutHolder(facts: WorldState, old: ObservedContainer): WorldState {
  const networks = new Map([...facts.networks].map(([name, network]) => [name, network && { ...network, holders: network.holders.filter((h) => h.id !== old.id) }] as const));
  return { ...facts, networks };
}

/**
 * Upgrades in place: creates the new container first (a failure leaves the old one untouched),
 * stops the old one, starts the new one and removes the old one; if the new one does not start,
 * it is removed and the old one started again. The name moves to the new container when
 * `--name` is the old one's. Returns 0 and prints the new container's id, as `docker run -d`.
 */
export async function replaceContainer(engine: Engine, plan: RunPlan, parsed: ParsedRun, imageId: string, old: ObservedContainer, labels: Readonly<Record<string, string>>, output: Output): Promise<number> {
  const undo = new Undo();
  const temporary = temporaryName(parsed, old);
  let id = '';
  try {
    await createNetworks(engine, plan.attachments, undo);
    await addProxies(plan.ndp, undo);
    const commands = startCommands(plan, byImageId(parsed, imageId), { ...engineStartOptions(engine), labels, create: true, ...(temporary ? { name: temporary } : {}) });
    if (commands.mode !== 'create') throw new Error('replace plans a create');
    const created = await engineCall(engine, commands.create);
    id = created.stdout.trim().split('\n').at(-1) ?? '';
    if (created.exitCode !== 0 || id === '') throw await refusal(engine, plan.attachments, parsed.image, '', lastLine(created.stderr));
    const newId = id;
    undo.add(() => engineCall(engine, ['rm', '--force', newId]));
    for (const attachment of commands.connects) {
      const addresses = { ...(attachment.ipv6 ? { ip6: attachment.ipv6 } : {}), ...(attachment.ipv4 ? { ip: attachment.ipv4 } : {}) };
      const joined = await connectNetwork(engine, attachment.network.name, id, addresses);
      if (!joined.ok) throw await refusal(engine, [attachment], parsed.image, id, joined.message);
    }
  } catch (caught) {
    await undo.run();
    throw caught;
  }
  const wasRunning = old.state === 'running' || old.state === 'restarting';
  const links = neighbourLinks(plan);
  if (wasRunning) {
    const stopped = await stopOld(engine, old, plan);
    if (stopped.exitCode !== 0) {
      await undo.run();
      throw new BerthError(`cannot stop ${old.name}: ${lastLine(stopped.stderr)}; the new container was removed and ${old.name} left as it was`, { code: 'run.replace-failed' });
    }
  }
  const started = await engineCall(engine, ['start', id]);
  if (started.exitCode !== 0) {
    await undo.run();
    const back = wasRunning ? await engineCall(engine, ['start', old.id]) : undefined;
    const oldState = back === undefined ? `${old.name} was not running and is left as it was` : back.exitCode === 0 ? `${old.name} was started again` : `${old.name} could not be started again either: ${lastLine(back.stderr)}`;
    throw new BerthError(`cannot start the new container for ${parsed.image}: ${lastLine(started.stderr) || `exit status ${started.exitCode}`}; it was removed and ${oldState}`, { code: 'run.replace-failed' });
  }
  await announceAddresses(engine, id, links);
  await engineCall(engine, ['rm', '--force', old.id]);
  if (temporary) await engineCall(engine, ['rename', id, old.name]);
  const left = await observeContainers(engine, { all: true });
  await releaseProxies([viewContainer(old, '', undefined, new Map())], left, (line) => say(output, line));
  output.stdout(`${id}\n`);
  return 0;
}
