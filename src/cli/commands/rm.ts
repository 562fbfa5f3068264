import { isBerthError } from '../../core/errors.js';
import type { HostConfig } from '../../core/host/host-config.js';
import { selectEngine } from '../../edge/engine.js';
import { hostConfigPath, readHostConfig } from '../../edge/host-file.js';
import { traceCommandsTo } from '../../edge/trace.js';
import { removeContainers } from '../../run/remove-containers.js';
import { say, type Output } from '../output.js';

export interface RmOptions {
  readonly force?: boolean;
  readonly networks?: boolean;
  readonly hostConfig?: string;
  readonly engine?: string;
  readonly verbose?: boolean;
}

/** `berth rm`: removes berth containers and the proxy entries (and, asked, networks) only they used. */
export async function rmCommand(containers: readonly string[], options: RmOptions, output: Output): Promise<number> {
  if (options.verbose) traceCommandsTo((line) => say(output, line));
  const engine = selectEngine(options.engine);
  const hostFile = hostConfigPath(options.hostConfig);
  let host: HostConfig | undefined;
  try {
    host = await readHostConfig(hostFile);
  } catch (caught) {
    // Without the host file berth cannot tell its networks; containers and proxy entries are still released.
    if (!isBerthError(caught) || options.networks) throw caught;
  }
  const removed = await removeContainers(engine, containers, {
    force: options.force === true,
    networks: options.networks === true,
    hostFile,
    ...(host ? { host } : {}),
    change: (line) => say(output, line),
  });
  output.stdout(removed.map((name) => `${name}\n`).join(''));
  return 0;
}
