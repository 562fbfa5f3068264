import { resolve } from 'node:path';
import { BerthError } from '../core/errors.js';

export const DEFAULT_HOST_CONFIG_PATH = '/etc/berth/host.yaml';

/**
 * `--host-config FILE`, else `$BERTH_HOST_CONFIG`, else /etc/berth/host.yaml (README, "The host
 * file"), made absolute: providers run in `/` and are told the path. An empty `--host-config` is a
 * mistake, not a request for the default.
 */
export function hostConfigPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (option === '') {
    throw new BerthError('--host-config was given an empty file name (name the host file, or leave the option out)', { code: 'host.empty-path' });
  }
  return resolve(option ?? (env['BERTH_HOST_CONFIG'] || DEFAULT_HOST_CONFIG_PATH));
}
