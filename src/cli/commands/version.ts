import { BerthError } from '../../core/errors.js';
import { selectEngine } from '../../edge/engine.js';
import { engineVersion } from '../../edge/engine-version.js';
import { VERSION } from '../../version.js';
import type { Output } from '../output.js';

/**
 * `berth --version [--engine NAME]`: berth's version, then the engine it would use. An engine
 * that is missing or does not answer is reported on that line; it is not an error.
 */
export async function versionCommand(argv: readonly string[], output: Output): Promise<number> {
  const engineOption = readEngineOption(argv);
  // An engine named on the command line must be a known one; $BERTH_ENGINE is only reported.
  if (engineOption !== undefined) selectEngine(engineOption);
  output.stdout(`berth ${VERSION}\n`);
  output.stdout(`engine: ${await describeEngine(engineOption)}\n`);
  return 0;
}

function readEngineOption(argv: readonly string[]): string | undefined {
  const [first, second, ...rest] = argv;
  if (first === undefined) return undefined;
  if (first === '--engine' && second !== undefined && rest.length === 0) return second;
  if (first.startsWith('--engine=') && second === undefined) return first.slice('--engine='.length);
  throw new BerthError(`--version takes no arguments but --engine NAME, not "${argv.join(' ')}"`, { code: 'cli.version-arguments' });
}

async function describeEngine(option: string | undefined): Promise<string> {
  let engine;
  try {
    engine = selectEngine(option);
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
