import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { askEarly } from '../../src/cli/ask-early.js';
import { letQueriesGo, type Engine } from '../../src/edge/engine.js';
import { containerIdsOnNetworks } from '../../src/edge/containers.js';
import { inspectImage } from '../../src/edge/images.js';
import { engineVersion, inspectNetwork } from '../../src/edge/networks.js';
import { fakeDocker, type FakeDocker } from '../helpers/berth.js';
import { withEnv } from '../helpers/env.js';

const DOCKER: Engine = { name: 'docker', command: 'docker' };

// A tcp DOCKER_HOST keeps every query on the (fake) CLI, which records each call.
describe('askEarly', () => {
  let dir = '';
  let fake: FakeDocker | undefined;
  let restore = () => {};
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-ask-early-'));
    fake = await fakeDocker();
    restore = withEnv({ ...fake.env, DOCKER_HOST: 'tcp://127.0.0.1:9', BERTH_ENGINE: 'docker' });
  });
  after(async () => {
    restore();
    await fake?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts exactly the queries berth run then makes, each asked once', async () => {
    assert.ok(fake);
    const host = join(dir, 'host.yaml');
    const text = 'networks:\n  public6:\n    subnet6: 2001:db8:1::/112\n  backend:\n    subnet4: 192.0.2.0/24\n';
    await writeFile(host, text);
    // The host file as read, which berth run then uses rather than read it again.
    assert.deepEqual(askEarly(['--host-config', host, '--rm', 'example/web:1', 'true']), { ok: true, text });
    const asked = [
      inspectImage(DOCKER, 'example/web:1'),
      engineVersion(DOCKER),
      inspectNetwork(DOCKER, 'public6'),
      inspectNetwork(DOCKER, 'backend'),
      containerIdsOnNetworks(DOCKER, ['public6', 'backend']),
    ];
    // The fake prints nothing, so the answers themselves cannot be read.
    await Promise.allSettled(asked);
    assert.deepEqual((await fake.calls()).map((call) => call.join(' ')).sort(), [
      'image inspect -- example/web:1',
      'network inspect -- backend',
      'network inspect -- public6',
      // Through the CLI one list for all the networks, asked when berth run needs it.
      'ps --quiet --no-trunc --all --filter network=public6 --filter network=backend',
      'version --format {{.Server.Version}}',
    ]);
  });

  it('asks nothing, and throws nothing, for a command line berth run will refuse, or for --help', async () => {
    assert.ok(fake);
    const before = (await fake.calls()).length;
    for (const argv of [['--no-such-option', 'example/web:1'], ['--help'], [], ['--host-config', '', 'example/web:1'], ['--engine', 'nope', 'example/web:1']]) {
      assert.equal(askEarly(argv), undefined, argv.join(' '));
    }
    await sleep(500); // long enough for a started fake to have logged its call
    assert.equal((await fake.calls()).length, before);
  });
});

// Over a socket that answers like an engine: every query goes out at once, one list of containers per network.
describe('askEarly over the engine socket', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-ask-early-socket-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('asks for the image, the version, each network and the containers on each, without the CLI', async () => {
    const socket = join(dir, 'engine.sock');
    const asked: string[] = [];
    const server = createServer((connection) => {
      connection.once('data', (chunk: Buffer) => {
        asked.push(decodeURIComponent(chunk.toString('latin1').split(' ')[1] ?? ''));
        connection.end('HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{"message":"not here"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    const host = join(dir, 'host.yaml');
    await writeFile(host, 'networks:\n  public6:\n    subnet6: 2001:db8:1::/112\n  backend:\n    subnet4: 192.0.2.0/24\n');
    const restore = withEnv({ DOCKER_HOST: `unix://${socket}`, BERTH_ENGINE: 'docker', BERTH_ENGINE_API: '', PATH: '/nonexistent' });
    try {
      askEarly(['--host-config', host, '--rm', 'example/web:1', 'true']);
      await letQueriesGo();
      for (let i = 0; i < 50 && asked.length < 6; i += 1) await sleep(20);
      assert.deepEqual(asked.sort(), [
        '/containers/json?all=1&filters={"network":["backend"]}',
        '/containers/json?all=1&filters={"network":["public6"]}',
        '/images/example/web:1/json',
        '/networks/backend',
        '/networks/public6',
        '/version',
      ]);
    } finally {
      restore();
      server.close();
    }
  });
});
