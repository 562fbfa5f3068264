import { readFile } from 'node:fs/promises';
import { BerthError } from '../core/errors.js';
import type { HostConfig } from '../core/host/host-config.js';
import { parseHostConfig } from '../core/host/parse-host-config.js';
import { hasErrors } from '../core/problem.js';
import { fileProblem, type FileFailure } from './errno.js';

export { absoluteHostConfigPath, DEFAULT_HOST_CONFIG_PATH, hostConfigPath } from './host-path.js';

const READ_FIXES: Readonly<Record<FileFailure, string>> = {
  missing: ' (create it, or pass --host-config FILE)',
  denied: ' (let this user read it, or pass --host-config FILE)',
  directory: ' (pass the host file itself)',
  other: '',
};

// Every `berth run` reads the host file afresh; a missing or broken file must stop it with the reason.
/** Reads and validates the host file at `path`; throws `host.unreadable` or `host.invalid`. */
export async function readHostConfig(path: string): Promise<HostConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const { failure, read } = fileProblem(cause);
    throw new BerthError(`cannot read host file ${path}: ${read}${READ_FIXES[failure]}`, { code: 'host.unreadable', cause });
  }
  return hostConfigFromText(text, path);
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
