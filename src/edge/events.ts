import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Engine } from './engine.js';
import { asRecord, parseJsonValue } from './engine-json.js';
import { traceCommand } from './trace.js';

// The engine's event stream (`events ARGS`), each line to `onLine`, until `signal` aborts it.
function followEvents(engine: Engine, args: readonly string[], signal: AbortSignal, onLine: (line: string) => void): ChildProcess {
  traceCommand([engine.command, 'events', ...args]);
  const child = spawn(engine.command, ['events', ...args], { stdio: ['ignore', 'pipe', 'ignore'], signal });
  createInterface({ input: child.stdout }).on('line', onLine);
  return child;
}

/**
 * Follows the engine's event stream and calls `onStart` with the id of each container that
 * starts (carrying `label`, where the engine can filter by it), until `signal` aborts or the
 * stream ends (the engine stopped); resolves with the CLI's exit status.
 */
export function followContainerStarts(engine: Engine, label: string, onStart: (id: string) => void, signal: AbortSignal): Promise<number> {
  const filters = ['--filter', 'type=container', '--filter', 'event=start', ...(engine.name === 'docker' ? ['--filter', `label=${label}`] : [])];
  const child = followEvents(engine, [...filters, '--format', '{{json .}}'], signal, (line) => {
    const id = startedId(line);
    if (id !== undefined) onStart(id);
  });
  return new Promise((resolve) => {
    child.once('error', () => resolve(signal.aborted ? 0 : 1));
    child.once('close', (code) => resolve(signal.aborted ? 0 : (code ?? 1)));
  });
}

/** The container id of one event line (docker: `id` or `Actor.ID`; podman: `ID`), if it is a start. */
export function startedId(line: string): string | undefined {
  const record = asRecord(parseJsonValue(line));
  if (record === undefined) return undefined;
  const status = record['status'] ?? record['Action'] ?? record['Status'];
  if (status !== 'start') return undefined;
  const id = record['id'] ?? record['ID'] ?? asRecord(record['Actor'])?.['ID'];
  return typeof id === 'string' && /^[0-9a-f]{12,64}$/.test(id) ? id : undefined;
}

/**
 * Resolves with true once docker reports `container` (a full id) disconnected from every network
 * of `networks`: its addresses there are free again, which happens only after the container is
 * seen stopped. False when the event stream ends first. Events from `since` (epoch seconds, to the
 * millisecond) on count, so none is missed while the CLI starts. Docker only: podman logs no such
 * events.
 */
export function networksReleased(engine: Engine, container: string, networks: readonly string[], since: number, signal: AbortSignal): Promise<boolean> {
  if (networks.length === 0) return Promise.resolve(true);
  const filters = ['--filter', 'type=network', '--filter', 'event=disconnect', ...networks.flatMap((name) => ['--filter', `network=${name}`])];
  const waiting = new Set(networks);
  return new Promise((resolve) => {
    const child = followEvents(engine, ['--since', since.toFixed(3), ...filters, '--format', '{{json .}}'], signal, (line) => {
      const left = disconnected(line);
      if (left?.container !== container) return;
      waiting.delete(left.network);
      if (waiting.size > 0) return;
      child.kill();
      resolve(true);
    });
    child.once('error', () => resolve(false));
    child.once('close', () => resolve(waiting.size === 0));
  });
}

/** The container and network (by name) of one docker event line, if it is a network disconnect. */
export function disconnected(line: string): { readonly container: string; readonly network: string } | undefined {
  const record = asRecord(parseJsonValue(line));
  if (record === undefined) return undefined;
  if (record['Type'] !== 'network' || record['Action'] !== 'disconnect') return undefined;
  const attributes = asRecord(asRecord(record['Actor'])?.['Attributes']);
  const container = attributes?.['container'];
  const network = attributes?.['name'];
  return typeof container === 'string' && typeof network === 'string' ? { container, network } : undefined;
}
