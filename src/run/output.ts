/** Where a command writes; injectable so that commands and the run orchestration can be tested in-process. */
export interface Output {
  /** Text, or bytes written as they are (a plain Dockerfile keeps its own encoding). */
  readonly stdout: (text: string | Uint8Array) => void;
  readonly stderr: (text: string) => void;
}

/** Prints a message the berth way: to stderr, prefixed, one line each. */
export function say(output: Output, message: string): void {
  output.stderr(`${message.split('\n').map((line) => `berth: ${line}`).join('\n')}\n`);
}
