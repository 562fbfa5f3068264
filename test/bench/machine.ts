// The machine the figures were measured on, printed above them.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { docker } from '../helpers/engine.js';

export async function describeMachine(): Promise<string[]> {
  const versions = await docker(['version', '--format', '{{.Client.Version}} (engine {{.Server.Version}})']);
  const builder = process.env['DOCKER_BUILDKIT'] === undefined ? 'the client\'s default' : `DOCKER_BUILDKIT=${process.env['DOCKER_BUILDKIT']}`;
  return [
    `cpus:    ${availableParallelism()} x ${cpus()[0]?.model.trim() ?? 'unknown'}`,
    `node:    ${process.version}`,
    `docker:  ${versions.exitCode === 0 ? versions.stdout.trim() : `unavailable (${versions.stderr.trim().split('\n').at(-1) ?? ''})`}, builder: ${builder}`,
    `load:    ${loadavg().map((load) => load.toFixed(2)).join(' ')} (1, 5, 15 min) at the start`,
    // Node reads that file at every start, before any program runs: berth, the floor and node -e alike.
    ...(process.env['NODE_EXTRA_CA_CERTS'] ? ['note:    NODE_EXTRA_CA_CERTS is set, so every node process first loads those certificates'] : []),
  ];
}
