import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { parseRunArgs } from '../core/docker-cli/parse-run-args.js';
import { networkNamesHint } from '../core/host/network-names-hint.js';
import { selectEngine, startEngineCalls } from '../edge/engine.js';
import { hostConfigPath } from '../edge/host-path.js';
import { HOST_FILE_MAX_BYTES } from '../edge/host-text.js';

/**
 * Starts the engine queries `berth run` will make (the image, the server's version, the networks
 * the host file seems to declare) before anything else runs, so that the engine answers while
 * berth reads the host file. The same queries later take these answers (see `startEngineCalls`).
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
    for (const name of networkNamesHint(hostText(hostConfigPath(parsed.berth.hostConfig)))) queries.push(['network', 'inspect', '--', name]);
  } catch {
    return;
  }
  startEngineCalls(engine, queries);
}

// Read now, so that the network queries start before berth run's own read of the file takes
// them; only as berth reads it (see host-text.ts): a regular file of sane size, opened without
// blocking on a FIFO.
function hostText(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const stat = fstatSync(fd);
    return stat.isFile() && stat.size <= HOST_FILE_MAX_BYTES ? readFileSync(fd, 'utf8') : '';
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
