import { printableLines } from '../core/printable.js';

/** Where a command writes; injectable so that commands and the run orchestration can be tested in-process. */
export interface Output {
  /** Text, or bytes written as they are (a plain Dockerfile keeps its own encoding). */
  readonly stdout: (text: string | Uint8Array) => void;
  readonly stderr: (text: string) => void;
}

// Characters of one message line; far more than any message berth writes.
const LINE_MAX = 4000;

/**
 * Prints a message the berth way: to stderr, prefixed, one line each. Messages quote images,
 * providers and the engine, so each line is made printable once more here, whatever its source.
 */
export function say(output: Output, message: string): void {
  output.stderr(`${printableLines(message, LINE_MAX).split('\n').map((line) => `berth: ${line}`).join('\n')}\n`);
}
