import { resolve } from 'node:path';

export const DEFAULT_HOST_CONFIG_PATH = '/etc/berth/host.yaml';

/** `--host-config FILE`, else `$BERTH_HOST_CONFIG`, else /etc/berth/host.yaml (DESIGN §3). */
export function hostConfigPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env['BERTH_HOST_CONFIG'] || DEFAULT_HOST_CONFIG_PATH;
}

/** The host file's path made absolute, as containers record it: a relative one means nothing once the shell's directory changes. */
export function absoluteHostConfigPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(hostConfigPath(option, env));
}
