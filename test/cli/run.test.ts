import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused, runMain } from '../helpers/cli.js';

// Whatever stops berth run before the container starts exits 125, as docker run does; the
// command decides that, whichever layer failed.
describe('berth run exit status', () => {
  it('--help: run\'s help, exit 0', async () => {
    const result = await runMain(['run', '--help']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^Usage: berth run /);
  });

  it('no IMAGE: 125, with the usage', async () => {
    assertRefused(await runMain(['run']), 125, /^berth: no IMAGE given; write berth run \[OPTIONS\] IMAGE/);
  });

  it('an unknown engine: 125', async () => {
    assertRefused(await runMain(['run', '--engine', 'lxc', 'web']), 125, /^berth: unknown engine "lxc"/);
  });

  it('an engine that does not answer: 125, with the engine\'s words', async () => {
    const result = await runMain(['run', '--host-config', '/nonexistent/host.yaml', 'web'], { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' });
    assertRefused(result, 125, /^berth: cannot reach the docker engine: Cannot connect to the Docker daemon/m);
  });
});
