import type { Output } from '../run/output.js';

export { say, type Output } from '../run/output.js';

/**
 * The CLI's output: the process's own streams, each made on its first write (berth run and build
 * usually print nothing themselves, and making a stream costs a millisecond). A reader that
 * stops early (`berth --help | head`) is not an error.
 */
export const processOutput: Output = {
  stdout: (text) => guarded(process.stdout).write(text),
  stderr: (text) => guarded(process.stderr).write(text),
};

const guardedStreams = new WeakSet<NodeJS.WriteStream>();

function guarded(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (!guardedStreams.has(stream)) {
    guardedStreams.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return stream;
}
