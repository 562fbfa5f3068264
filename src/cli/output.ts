import type { Output } from '../run/output.js';

export { say, type Output } from '../run/output.js';

/** The CLI's output: the process's own streams. */
export const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};
