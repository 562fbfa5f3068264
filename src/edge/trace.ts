import { shellQuote } from '../core/plan/docker-argv.js';

let sink: ((line: string) => void) | undefined;

/** `--verbose`: from now on every command berth runs (engine CLI, ip, providers) is written to `write`, as typed in a shell. */
export function traceCommandsTo(write: ((line: string) => void) | undefined): void {
  sink = write;
}

/** Called by each edge module just before it runs a command. */
export function traceCommand(argv: readonly string[]): void {
  sink?.(`+ ${shellQuote(argv)}`);
}
