export const DEFAULT_HOST_CONFIG_PATH = '/etc/berth/host.yaml';

/** `--host-config FILE`, else `$BERTH_HOST_CONFIG`, else /etc/berth/host.yaml (README, "The host file"). */
export function hostConfigPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env['BERTH_HOST_CONFIG'] || DEFAULT_HOST_CONFIG_PATH;
}
