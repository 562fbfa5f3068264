import { engineCall, engineFailure, isUnreachable, type Engine } from './engine.js';
import { printedLines } from './engine-json.js';

/** Every engine network by name, with its full id: one call, however many there are. */
export async function listNetworkIds(engine: Engine): Promise<Map<string, string>> {
  const listed = await engineCall(engine, ['network', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Name}}']);
  if (listed.exitCode !== 0) throw engineFailure(engine, listed, 'cannot list the networks', 'networks.list-failed');
  const networks = new Map<string, string>();
  for (const line of listed.stdout.split('\n')) {
    const [id = '', name = ''] = line.trim().split(' ');
    if (id !== '' && name !== '') networks.set(name, id);
  }
  return networks;
}

/** The names of every engine volume: one call. */
export async function listVolumeNames(engine: Engine): Promise<Set<string>> {
  const listed = await engineCall(engine, ['volume', 'ls', '--quiet']);
  if (listed.exitCode !== 0) throw engineFailure(engine, listed, 'cannot list the volumes', 'volumes.list-failed');
  return new Set(printedLines(listed.stdout));
}

/** Removes a network; false when the engine refused (a container joined it meanwhile, say). */
export async function removeNetwork(engine: Engine, name: string): Promise<boolean> {
  const removed = await engineCall(engine, ['network', 'rm', '--', name]);
  if (removed.exitCode !== 0 && isUnreachable(removed)) throw engineFailure(engine, removed, `cannot remove network ${name}`, 'networks.remove-failed');
  return removed.exitCode === 0;
}
