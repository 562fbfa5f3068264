import { readFileSync, statSync } from 'node:fs';
import { parseRunArgs } from '../core/docker-cli/parse-run-args.js';
import { networkNamesHint } from '../core/host/network-names-hint.js';
import { selectEngine, startEngineCalls } from '../edge/engine.js';
import { hostConfigPath } from '../edge/host-path.js';

/**
 * Starts the engine queries `berth run` will make (the image, the server's version, the networks
 * the host file seems to declare) before anything else runs, so that the engine answers while
 * berth reads the host file. The same queries later take these answers (see `startEngineCalls`);
 * a command line it cannot read is left to `berth run` itself to report.
 */
export function askEarly(argv: readonly string[]): void {
  let parsed: ReturnType<typeof parseRunArgs>;
  let engine: ReturnType<typeof selectEngine>;
  try {
    parsed = parseRunArgs(argv);
    engine = selectEngine(parsed.berth.engine);
  } catch {
    return;
  }
  if (parsed.berth.help) return;
  const queries = [['image', 'inspect', '--', parsed.image]];
  if (engine.name === 'docker') queries.push(['version', '--format', '{{.Server.Version}}']);
  for (const name of networkNamesHint(hostText(hostConfigPath(parsed.berth.hostConfig)))) queries.push(['network', 'inspect', '--', name]);
  startEngineCalls(engine, queries);
}

// Only a regular file: reading a pipe (`--host-config /dev/stdin`) here would take its text
// away from the reading that counts.
function hostText(path: string): string {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : '';
  } catch {
    return '';
  }
}
