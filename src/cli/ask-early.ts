import { parseRunArgs } from '../core/docker-cli/parse-run-args.js';
import { networkNamesHint } from '../core/host/network-names-hint.js';
import { containersOnNetworksArgs } from '../edge/containers.js';
import { localSocket } from '../edge/engine-api.js';
import { selectEngine, startEngineCalls } from '../edge/engine.js';
import { hostConfigPath } from '../edge/host-path.js';
import { readHostText } from '../edge/host-text.js';

/**
 * Starts the engine queries `berth run` will make (the image, the server's version, the networks
 * the host file seems to declare and the containers on them) before anything else runs, so that
 * the engine answers while berth loads and reads the host file. The same queries later take these
 * answers (see `startEngineCalls`).
 * Never throws: a command line or option it cannot read is left to `berth run` itself to report.
 */
export function askEarly(argv: readonly string[]): void {
  let engine: ReturnType<typeof selectEngine>;
  const queries: string[][] = [];
  try {
    const parsed = parseRunArgs(argv);
    if (parsed.berth.help) return;
    engine = selectEngine(parsed.berth.engine);
    queries.push(['image', 'inspect', '--', parsed.image]);
    if (engine.name === 'docker') queries.push(['version', '--format', '{{.Server.Version}}']);
    // The containers on each network too, where the engine's socket answers: through the CLI,
    // berth run asks once for all its networks, which a guess of them cannot start.
    const viaSocket = localSocket(engine) !== undefined;
    for (const name of networkNamesHint(hostTextOrNothing(hostConfigPath(parsed.berth.hostConfig)))) {
      queries.push(['network', 'inspect', '--', name], ...(viaSocket ? [containersOnNetworksArgs([name])] : []));
    }
  } catch {
    return;
  }
  startEngineCalls(engine, queries);
}

// Read now, so that the network queries start before berth run's own read of the file takes them.
function hostTextOrNothing(path: string): string {
  const read = readHostText(path);
  return read.ok ? read.text : '';
}
