import type { Position } from '../problem.js';
import type { HostFileFacts } from './checks.js';

/** One line of `berth doctor`: what was looked at, how it stands and, when it fails, what to do. */
export interface Check {
  readonly ok: boolean | 'skipped';
  readonly title: string;
  readonly detail?: string;
  readonly fix?: string;
  /** Further lines shown under the check: the host file's problems. */
  readonly lines?: readonly string[];
}

/** A position in the host file, as a fix names it. */
export function where(at: Position): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/** A check that needs a valid host file, when there is none. */
export function skippedWithoutHost(title: string, host: HostFileFacts): Check {
  return { ok: 'skipped', title, detail: `skipped: the host file is ${host.state}` };
}
