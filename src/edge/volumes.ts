import { BerthError, EXIT_CANNOT_START } from '../core/errors.js';
import { engineCall, isUnreachable, lastLine, unreachable, type Engine } from './engine.js';

const NO_SUCH_VOLUME = /no such volume|volume not found|not found/i;

/** Whether a named volume exists, without ever creating it: a mount must not silently become a fresh empty volume. */
export async function volumeExists(engine: Engine, name: string): Promise<boolean> {
  const result = await engineCall(engine, ['volume', 'inspect', '--', name]);
  if (isUnreachable(result)) throw unreachable(engine, result, EXIT_CANNOT_START);
  if (result.exitCode === 0) return true;
  if (NO_SUCH_VOLUME.test(result.stderr)) return false;
  throw new BerthError(`cannot inspect volume ${name}: ${lastLine(result.stderr)}`, {
    code: 'volume.inspect-failed',
    exitCode: EXIT_CANNOT_START,
  });
}
