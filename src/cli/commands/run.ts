import { parseRunArgs } from '../../core/docker-cli/parse-run-args.js';
import { BerthError, EXIT_CANNOT_START, isBerthError } from '../../core/errors.js';
import { selectEngine } from '../../edge/engine.js';
import { hostConfigPath } from '../../edge/host-path.js';
import type { HostText } from '../../edge/host-text.js';
import { inspectImage } from '../../edge/images.js';
import { engineVersion } from '../../edge/networks.js';
import { prefetchHost } from '../../run/prefetch-host.js';
import { traceCommandsTo } from '../../edge/trace.js';
import { say, type Output } from '../output.js';

/**
 * `berth run`: resolves the image's needs on this host and starts the container, or says what is
 * missing. `hostText`: the host file, if ask-early has read it already.
 */
export async function runCommand(argv: readonly string[], output: Output, help: () => Promise<void>, hostText?: HostText): Promise<number> {
  try {
    const parsed = parseRunArgs(argv);
    if (parsed.berth.help) {
      await help();
      return 0;
    }
    if (parsed.berth.verbose) traceCommandsTo((line) => say(output, line));
    const engine = selectEngine(parsed.berth.engine);
    // Ask the engine about the image and the host's networks first: the rest of berth loads while it answers.
    const image = inspectImage(engine, parsed.image);
    image.catch(() => undefined);
    const host = prefetchHost(engine, hostConfigPath(parsed.berth.hostConfig), hostText);
    // Resolution usually needs the engine's version (whether IPv6 is NATed by default).
    const version = engine.name === 'docker' ? engineVersion(engine) : undefined;
    version?.catch(() => undefined);
    const { runImage } = await import('../../run/run-image.js');
    return await runImage(engine, parsed, { image, host, ...(version ? { version } : {}) }, output);
  } catch (caught) {
    // Whatever stops berth run before the container starts is reported as docker run does: 125.
    if (isBerthError(caught) && caught.exitCode !== EXIT_CANNOT_START) {
      throw new BerthError(caught.message, { code: caught.code, exitCode: EXIT_CANNOT_START, problems: caught.problems, cause: caught });
    }
    throw caught;
  }
}
