import { engineCall, engineFailure, type Engine } from './engine.js';

/** Whether a named volume exists, without ever creating it: a mount must not silently become a fresh empty volume. */
export async function volumeExists(engine: Engine, name: string): Promise<boolean> {
  const inspected = await engineCall(engine, ['volume', 'inspect', '--', name]);
  if (inspected.exitCode === 0) return true;
  // The engines word "no such volume" differently: ask for the list instead, by exact name.
  const listed = await engineCall(engine, ['volume', 'ls', '--quiet', '--filter', `name=${name}`]);
  if (listed.exitCode !== 0) throw engineFailure(engine, listed, `cannot list volume ${name}`, 'volume.inspect-failed');
  if (!listed.stdout.split('\n').some((line) => line.trim() === name)) return false;
  throw engineFailure(engine, inspected, `cannot inspect volume ${name}`, 'volume.inspect-failed');
}
