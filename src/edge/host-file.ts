import { BerthError } from '../core/errors.js';
import type { HostConfig } from '../core/host/host-config.js';
import { parseHostConfig } from '../core/host/parse-host-config.js';
import { hasErrors } from '../core/problem.js';
import type { ReadFailure } from '../core/doctor/checks.js';
import { readHostText } from './host-text.js';

export { DEFAULT_HOST_CONFIG_PATH, hostConfigPath } from './host-path.js';

const READ_FIXES: Readonly<Record<ReadFailure, string>> = {
  missing: 'create it, or pass --host-config FILE',
  denied: 'let this user read it, or pass --host-config FILE',
  directory: 'pass the host file itself',
  other: 'pass a regular file of at most 1 MiB with --host-config FILE',
};

// Every `berth run` reads the host file afresh; a missing or broken file must stop it with the reason.
/** Reads and validates the host file at `path`; throws `host.unreadable` or `host.invalid`. */
export async function readHostConfig(path: string): Promise<HostConfig> {
  const read = await readHostText(path);
  if (!read.ok) {
    throw new BerthError(`cannot read host file ${path}: ${read.reason} (${READ_FIXES[read.failure]})`, {
      code: 'host.unreadable',
      ...(read.cause === undefined ? {} : { cause: read.cause }),
    });
  }
  return hostConfigFromText(read.text, path);
}

/** Checks host file text already read from `path`; throws `host.invalid` with every problem. */
export function hostConfigFromText(text: string, path: string): HostConfig {
  const { config, problems } = parseHostConfig(text, path);
  if (config === undefined || hasErrors(problems)) {
    const count = problems.filter((p) => p.severity === 'error').length;
    throw new BerthError(
      `host file ${path} is invalid: ${count} ${count === 1 ? 'error' : 'errors'} (fix ${count === 1 ? 'it' : 'them'}, then run again)`,
      { code: 'host.invalid', problems },
    );
  }
  return config;
}
