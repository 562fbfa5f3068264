import { BerthError } from '../../core/errors.js';
import { selectEngine } from '../../edge/engine.js';
import { engineVersion } from '../../edge/engine-version.js';
import { VERSION } from '../../version.js';
import type { Output } from '../output.js';

/**
 * `berth --version`: berth's version, then the engine it would use. An engine that is missing or
 * does not answer is reported on that line; it is not an error.
 */
export async function versionCommand(output: Output): Promise<number> {
  output.stdout(`berth ${VERSION}\n`);
  output.stdout(`engine: ${await describeEngine()}\n`);
  return 0;
}

async function describeEngine(): Promise<string> {
  let engine;
  try {
    engine = selectEngine(undefined);
  } catch (caught) {
    if (caught instanceof BerthError) return caught.message;
    throw caught;
  }
  const found = await engineVersion(engine);
  if (!found.found) return `${engine.name} (not found on PATH)`;
  if (engine.name === 'podman') return found.answers ? `podman ${found.client}` : `podman ${found.client} (does not answer)`;
  if (found.answers && found.server !== undefined) return `docker ${found.server} (client ${found.client})`;
  return `docker client ${found.client}, engine not reachable (start it, or point DOCKER_HOST / the docker context at a running one)`;
}
