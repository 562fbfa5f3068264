import { parseRunArgs } from '../core/docker-cli/parse-run-args.js';
import { networkNamesHint } from '../core/host/network-names-hint.js';
import { containersOnNetworksArgs } from '../edge/containers.js';
import { localSocket } from '../edge/engine-api.js';
import { selectEngine, startEngineCalls } from '../edge/engine.js';
import { hostConfigPath } from '../edge/host-path.js';
import { readHostText, type HostText } from '../edge/host-text.js';

/**
 * Starts the engine queries `berth run` will make (the image, the server's version, the networks
 * the host file seems to declare and the containers on them) before anything else runs, so that
 * the engine answers while berth loads and reads the host file. The same queries later take these
 * answers (see `startEngineCalls`). Returns the host file as read, for berth run to use rather
 * than read it again, when it got that far.
 * Never throws: a command line or option it cannot read is left to `berth run` itself to report.
 */
export function askEarly(argv: readonly string[]): HostText | undefined {
  let engine: ReturnType<typeof selectEngine>;
  let read: HostText;
  const queries: string[][] = [];
  try {
    const parsed = parseRunArgs(argv);
    if (parsed.berth.help) return undefined;
    engine = selectEngine(parsed.berth.engine);
    queries.push(['image', 'inspect', '--', parsed.image]);
    if (engine.name === 'docker') queries.push(['version', '--format', '{{.Server.Version}}']);
    // The containers on each network too, where the engine's socket answers: through the CLI,
    // berth run asks once for all its networks, which a guess of them cannot start.
    const viaSocket = localSocket(engine) !== undefined;
    read = readHostText(hostConfigPath(parsed.berth.hostConfig));
    for (const name of networkNamesHint(read.ok ? read.text : '')) {
      queries.push(['network', 'inspect', '--', name], ...(viaSocket ? [containersOnNetworksArgs([name])] : []));
    }
  } catch {
    return undefined;
  }
  startEngineCalls(engine, queries);
  return read;
}
