import { containerToJson, psTable } from '../../core/containers/ps-table.js';
import { isBerthError } from '../../core/errors.js';
import type { HostConfig } from '../../core/host/host-config.js';
import { selectEngine } from '../../edge/engine.js';
import { hostConfigPath, readHostConfig } from '../../edge/host-file.js';
import { observeBerthContainers } from '../../run/berth-containers.js';
import { say, type Output } from '../output.js';

export interface PsOptions {
  readonly all?: boolean;
  readonly json?: boolean;
  readonly hostConfig?: string;
  readonly engine?: string;
}

/** `berth ps`: which berth container holds which address, volume and network, and what is out of line. */
export async function psCommand(options: PsOptions, output: Output): Promise<number> {
  const engine = selectEngine(options.engine);
  const hostFile = hostConfigPath(options.hostConfig);
  let host: HostConfig | undefined;
  try {
    host = await readHostConfig(hostFile);
  } catch (caught) {
    if (!isBerthError(caught)) throw caught;
    // The containers are still worth listing; only drift needs the host file.
    say(output, `warning: ${caught.message}; drift is not shown`);
  }
  const { views } = await observeBerthContainers(engine, hostFile, host, { all: options.all === true });
  const sorted = [...views].sort((a, b) => a.container.name.localeCompare(b.container.name));
  output.stdout(options.json ? `${JSON.stringify(sorted.map(containerToJson), null, 2)}\n` : psTable(sorted));
  return 0;
}
