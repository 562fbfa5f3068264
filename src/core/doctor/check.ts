import type { Position } from '../problem.js';

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
