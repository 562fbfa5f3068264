import type { Problem } from './problem.js';

/** Exit status of berth's own failures; `run` uses 125 like `docker run`. */
export const EXIT_FAILURE = 1;
export const EXIT_CANNOT_START = 125;

export interface BerthErrorOptions {
  /** Stable identifier, e.g. `host.unreadable`; tests treat it as a contract. */
  readonly code: string;
  readonly exitCode?: number;
  readonly cause?: unknown;
  /** Positioned findings that explain the failure; printed before the message. */
  readonly problems?: readonly Problem[];
}

/** The one error type berth throws for expected failures; `main` prints it without a stack trace. */
export class BerthError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly problems: readonly Problem[];

  constructor(message: string, options: BerthErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BerthError';
    this.code = options.code;
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
    this.problems = options.problems ?? [];
  }
}

export function isBerthError(value: unknown): value is BerthError {
  return value instanceof BerthError;
}
