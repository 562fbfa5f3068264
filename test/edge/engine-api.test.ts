import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { BerthError } from '../../src/core/errors.js';
import { apiQuery, askEngineApi, DOCKER_SOCKET, localSocket, PODMAN_ROOT_SOCKET } from '../../src/edge/engine-api.js';
import { engineCall, startEngineCalls, type Engine } from '../../src/edge/engine.js';
import { inspectImage } from '../../src/edge/images.js';
import { engineVersion, inspectNetwork } from '../../src/edge/networks.js';
import { inspectContainers, observeContainers } from '../../src/edge/containers.js';
import { volumeExists } from '../../src/edge/volumes.js';
import { fakeDocker, type FakeDocker } from '../helpers/berth.js';
import { BASE_IMAGE, Cleanup, docker, dockerOk, engineEnv, engineSkip, ensureBaseImage, leftovers, testPrefix } from '../helpers/engine.js';
import { withEnv } from '../helpers/env.js';
import { docAddress6, docSubnet6 } from '../helpers/netns.js';

const DOCKER: Engine = { name: 'docker', command: 'docker' };

/** The output of `command` (e.g. the 20.10 client at /usr/bin/docker), which must succeed. */
async function cliOk(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
const PODMAN: Engine = { name: 'podman', command: 'podman' };

/** An inspect of each kind the API answers, of an object that exists and of one that does not. */
function inspectQueries(prefix: string, network: string, volume: string): string[][] {
  return [
    ['image', 'inspect', '--', BASE_IMAGE],
    ['image', 'inspect', '--', `${prefix}/missing:1`],
    ['network', 'inspect', '--', network],
    ['network', 'inspect', '--', `${prefix}-missing`],
    ['volume', 'inspect', '--', volume],
    ['volume', 'inspect', '--', `${prefix}-missing`],
  ];
}

describe('localSocket', () => {
  let config = '';
  before(async () => {
    config = await mkdtemp(join(tmpdir(), 'berth-docker-config-'));
  });
  after(() => rm(config, { recursive: true, force: true }));

  const withConfig = async (text: string | undefined): Promise<Record<string, string>> => {
    const dir = await mkdtemp(join(config, 'c-'));
    if (text !== undefined) await writeFile(join(dir, 'config.json'), text);
    return { DOCKER_CONFIG: dir };
  };

  const cases: readonly { readonly why: string; readonly env: Record<string, string>; readonly config?: string; readonly socket: string | undefined }[] = [
    { why: 'nothing set: the default socket', env: {}, socket: DOCKER_SOCKET },
    { why: 'an empty DOCKER_HOST is unset', env: { DOCKER_HOST: '' }, socket: DOCKER_SOCKET },
    { why: 'a unix DOCKER_HOST: its path', env: { DOCKER_HOST: 'unix:///run/other/docker.sock' }, socket: '/run/other/docker.sock' },
    { why: 'a unix DOCKER_HOST wins over a context, as in the CLI', env: { DOCKER_HOST: 'unix:///x.sock', DOCKER_CONTEXT: 'remote' }, socket: '/x.sock' },
    { why: 'a tcp DOCKER_HOST: the CLI (TLS and all)', env: { DOCKER_HOST: 'tcp://127.0.0.1:2376' }, socket: undefined },
    { why: 'an ssh DOCKER_HOST: the CLI', env: { DOCKER_HOST: 'ssh://me@host' }, socket: undefined },
    { why: 'a relative unix path: the CLI', env: { DOCKER_HOST: 'unix://docker.sock' }, socket: undefined },
    { why: 'DOCKER_CONTEXT=default', env: { DOCKER_CONTEXT: 'default' }, socket: DOCKER_SOCKET },
    { why: 'another DOCKER_CONTEXT: the CLI', env: { DOCKER_CONTEXT: 'remote' }, socket: undefined },
    { why: 'a config file without a context', env: {}, config: '{"auths": {}}', socket: DOCKER_SOCKET },
    { why: 'currentContext default', env: {}, config: '{"currentContext": "default"}', socket: DOCKER_SOCKET },
    { why: 'another currentContext: the CLI', env: {}, config: '{"currentContext": "rootless"}', socket: undefined },
    { why: 'DOCKER_CONTEXT=default wins over the file', env: { DOCKER_CONTEXT: 'default' }, config: '{"currentContext": "rootless"}', socket: DOCKER_SOCKET },
    { why: 'a config file that is not JSON: the CLI', env: {}, config: '{"currentContext": ', socket: undefined },
    { why: 'BERTH_ENGINE_API=0: always the CLI', env: { BERTH_ENGINE_API: '0' }, socket: undefined },
  ];
  for (const c of cases) {
    it(c.why, async () => {
      assert.equal(localSocket(DOCKER, { ...(await withConfig(c.config)), ...c.env }), c.socket);
    });
  }

  it('leaves podman to its CLI when a remote connection is named', () => {
    assert.equal(localSocket(PODMAN, { CONTAINER_HOST: 'unix:///run/podman/podman.sock' }), undefined);
    assert.equal(localSocket(PODMAN, { CONTAINER_CONNECTION: 'remote' }), undefined);
  });

  it("leaves podman to its CLI when no API service listens at podman's socket", { skip: existsSync(PODMAN_ROOT_SOCKET) && 'a podman service runs here' }, async () => {
    const runtime = await mkdtemp(join(config, 'run-'));
    assert.equal(localSocket(PODMAN, { XDG_RUNTIME_DIR: runtime }), undefined);
  });
});

describe('apiQuery', () => {
  const answered: readonly [readonly string[], string][] = [
    [['image', 'inspect', '--', 'web'], '/images/web/json'],
    [['image', 'inspect', '--', 'registry.example.com:5000/team/web:1.2'], '/images/registry.example.com:5000/team/web:1.2/json'],
    [['image', 'inspect', '--', 'web@sha256:0123abcd'], '/images/web@sha256:0123abcd/json'],
    [['network', 'inspect', '--', 'public6'], '/networks/public6'],
    [['volume', 'inspect', '--', 'web-cache'], '/volumes/web-cache'],
    [['version', '--format', '{{.Server.Version}}'], '/version'],
    [['ps', '--quiet', '--no-trunc', '--all', '--filter', 'network=a', '--filter', 'network=b'], `/containers/json?all=1&filters=${encodeURIComponent('{"network":["a","b"]}')}`],
    [['ps', '--quiet', '--no-trunc', '--filter', 'label=berth.x'], `/containers/json?filters=${encodeURIComponent('{"label":["berth.x"]}')}`],
    [['ps', '--quiet', '--no-trunc', '--all', '--filter', 'label=k=v'], `/containers/json?all=1&filters=${encodeURIComponent('{"label":["k=v"]}')}`],
    [['ps', '--quiet', '--no-trunc', '--all'], '/containers/json?all=1'],
    [['ps', '--quiet', '--no-trunc'], '/containers/json'],
    [['container', 'inspect', '--', 'web'], '/containers/web/json'],
    [['container', 'inspect', '--', 'web', '0123abcd', 'web'], '/containers/web/json /containers/0123abcd/json /containers/web/json'],
  ];
  for (const [args, path] of answered) {
    it(`asks ${path} for ${args.join(' ')}`, () => assert.equal(apiQuery(DOCKER, args)?.paths.join(' '), path));
  }

  const podmanAnswered: readonly [readonly string[], string][] = [
    [['image', 'inspect', '--', 'localhost/web:1'], '/v4.0.0/libpod/images/localhost/web:1/json'],
    [['network', 'inspect', '--', 'public6'], '/v4.0.0/libpod/networks/public6/json'],
    [['volume', 'inspect', '--', 'web-cache'], '/v4.0.0/libpod/volumes/web-cache/json'],
    [['info', '--format', '{{.Version.Version}}'], '/v4.0.0/libpod/version'],
    [['container', 'inspect', '--', 'a', 'b'], '/v4.0.0/libpod/containers/a/json /v4.0.0/libpod/containers/b/json'],
    [['ps', '--quiet', '--no-trunc', '--filter', 'network=n'], `/v4.0.0/libpod/containers/json?filters=${encodeURIComponent('{"network":["n"]}')}`],
    [['ps', '--quiet', '--no-trunc', '--all', '--filter', 'label=k'], `/v4.0.0/libpod/containers/json?all=true&filters=${encodeURIComponent('{"label":["k"]}')}`],
  ];
  for (const [args, path] of podmanAnswered) {
    it(`asks podman's ${path} for ${args.join(' ')}`, () => assert.equal(apiQuery(PODMAN, args)?.paths.join(' '), path));
  }
  it("leaves docker's version query on podman to the CLI, and podman's on docker", () => {
    assert.equal(apiQuery(PODMAN, ['version', '--format', '{{.Server.Version}}']), undefined);
    assert.equal(apiQuery(DOCKER, ['info', '--format', '{{.Version.Version}}']), undefined);
  });

  const notAnswered: readonly (readonly string[])[] = [
    ['image', 'inspect', 'web'],
    ['image', 'inspect', '--', 'web app'],
    ['image', 'inspect', '--', 'web?x=1'],
    ['image', 'inspect', '--', '../containers/x'],
    ['image', 'inspect', '--', 'a//b'],
    ['network', 'inspect', '--', 'a/b'],
    ['network', 'ls', '--format', '{{.Name}}'],
    ['version'],
    ['version', '--format', '{{.Client.Version}}'],
    ['run', '--rm', 'web'],
    ['ps', '--quiet', '--all', '--filter', 'network=a'],
    ['ps', '--no-trunc', '--quiet'],
    ['ps', '--quiet', '--no-trunc', '--filter', 'status=exited'],
    ['ps', '--quiet', '--no-trunc', '--filter', 'label='],
    ['ps', '--quiet', '--no-trunc', '--filter', 'label'],
    ['ps', '--quiet', '--no-trunc', '--all', '--filter'],
    ['ps', '--quiet', '--no-trunc', '--filter', 'network=a', '--format', 'json'],
    ['ps', '--quiet', '--no-trunc', '--last', '1'],
    ['ps', '--filter', 'network=a', '--format', 'json'],
    ['container', 'inspect', '--format', '{{json .}}', '--', 'web'],
    ['container', 'inspect', '--format', 'json', '--', 'web'],
    ['container', 'inspect', '--'],
    ['container', 'inspect', '--', 'web', 'a/b'],
    ['container', 'inspect', '--', 'web', '..'],
    ['image', 'inspect', '--', 'web', 'other'],
  ];
  for (const args of notAnswered) {
    it(`leaves ${JSON.stringify(args.join(' '))} to the CLI`, () => assert.equal(apiQuery(DOCKER, args), undefined));
  }
});

/** A listener that passes every connection on to the daemon's socket and counts them. */
async function proxy(listen: string | 0): Promise<{ readonly server: Server; readonly address: string; connections: number }> {
  const state = { server: createServer(), address: '', connections: 0 };
  state.server.on('connection', (client) => {
    state.connections += 1;
    const upstream = connect(DOCKER_SOCKET);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => state.server.listen(listen, resolve));
  const bound = state.server.address();
  state.address = typeof bound === 'string' ? `unix://${bound}` : `tcp://127.0.0.1:${bound?.port ?? 0}`;
  return state;
}

// A listener that answers every request with `reply`, as an engine socket might.
describe('askEngineApi, for answers it does not take', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-engine-api-replies-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  // `keepOpen`: the listener writes the reply and leaves the connection open, as a proxy might.
  async function answeredBy(reply: string, options: { readonly keepOpen?: boolean; readonly idleMs?: number } = {}): Promise<{ readonly answer: unknown; readonly request: string }> {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
    let request = '';
    const open = new Set<Socket>();
    const server = createServer((socket) => {
      open.add(socket);
      socket.once('data', (chunk: Buffer) => {
        request = chunk.toString('latin1');
        if (options.keepOpen) socket.write(reply);
        else socket.end(reply);
      });
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const answer = await askEngineApi(DOCKER, ['network', 'inspect', '--', 'public6'], {}, path, options.idleMs);
      return { answer, request };
    } finally {
      for (const socket of open) socket.destroy();
      server.close();
    }
  }

  it('takes an answer as long as its Content-Length says from a connection left open', async () => {
    const body = '{"Name":"public6"}';
    const { answer } = await answeredBy(`HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`, { keepOpen: true, idleMs: 60_000 });
    assert.deepEqual(answer, { exitCode: 0, stdout: `${JSON.stringify([{ Name: 'public6' }], null, 4)}\n`, stderr: '' });
  });

  it('leaves the query to the CLI when the socket stays silent', async () => {
    const started = performance.now();
    assert.equal((await answeredBy('', { keepOpen: true, idleMs: 300 })).answer, undefined);
    assert.ok(performance.now() - started < 5_000);
  });

  it('asks with one HTTP/1.0 request per connection, and takes a plain answer', async () => {
    const { answer, request } = await answeredBy('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"Name":"public6"}\n');
    assert.equal(request, 'GET /networks/public6 HTTP/1.0\r\nHost: docker\r\n\r\n');
    assert.deepEqual(answer, { exitCode: 0, stdout: `${JSON.stringify([{ Name: 'public6' }], null, 4)}\n`, stderr: '' });
  });

  const refused: readonly [string, string][] = [
    ['a chunked body', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n{"Name":"public6"}\r\n0\r\n\r\n'],
    ['no end of the headers', 'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n'],
    ['no status line', '{"Name":"public6"}'],
    ['a server error', 'HTTP/1.0 500 Internal Server Error\r\n\r\n{"message":"boom"}'],
    ['a body that is not JSON', 'HTTP/1.0 200 OK\r\n\r\n<html>'],
    ['nothing at all', ''],
  ];
  for (const [what, reply] of refused) {
    it(`leaves the query to the CLI for ${what}`, async () => {
      assert.equal((await answeredBy(reply)).answer, undefined);
    });
  }

  /** A listener answering each request with `reply(path)`, for `body` to ask. */
  async function servedBy<T>(reply: (path: string) => string, body: (socket: string) => Promise<T>): Promise<T> {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
    const server = createServer((socket) => {
      socket.once('data', (chunk: Buffer) => socket.end(reply(chunk.toString('latin1').split(' ')[1] ?? '')));
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      return await body(path);
    } finally {
      server.close();
    }
  }

  const containerReply = (path: string) => {
    const name = /^\/containers\/([^/]+)\/json$/.exec(path)?.[1] ?? '';
    return name === 'absent'
      ? 'HTTP/1.0 404 Not Found\r\n\r\n{"message":"No such container: absent"}'
      : `HTTP/1.0 200 OK\r\n\r\n{"Id":"${name}"}`;
  };

  it('inspects several containers with one request each, printed as one array in their order', async () => {
    const answer = await servedBy(containerReply, async (socket) => askEngineApi(DOCKER, ['container', 'inspect', '--', 'b', 'a'], {}, socket));
    assert.deepEqual(answer, { exitCode: 0, stdout: `${JSON.stringify([{ Id: 'b' }, { Id: 'a' }], null, 4)}\n`, stderr: '' });
  });

  it('leaves an inspect of containers to the CLI when any one is not found', async () => {
    for (const refs of [['a', 'absent', 'b'], ['absent']]) {
      const answer = await servedBy(containerReply, async (socket) => askEngineApi(DOCKER, ['container', 'inspect', '--', ...refs], {}, socket));
      assert.equal(answer, undefined, refs.join(' '));
    }
  });

  it("prints podman's list oldest first, as its CLI sorts it, and docker's as the engine gives it", async () => {
    const list = [
      { Id: 'c', Created: '2026-01-02T10:00:00.5Z' },
      { Id: 'a', Created: '2026-01-02T09:00:00.123456789Z' },
      { Id: 'b', Created: '2026-01-02T09:00:00.2Z' },
      { Id: 'd', Created: '2026-01-02T11:00:00.3+02:00' },
    ];
    const reply = () => `HTTP/1.0 200 OK\r\n\r\n${JSON.stringify(list)}`;
    const args = ['ps', '--quiet', '--no-trunc', '--all'];
    assert.equal((await servedBy(reply, async (socket) => askEngineApi(PODMAN, args, {}, socket)))?.stdout, 'a\nb\nd\nc\n');
    assert.equal((await servedBy(reply, async (socket) => askEngineApi(DOCKER, args, {}, socket)))?.stdout, 'c\na\nb\nd\n');
  });
});

describe('the Engine API against the real daemon', { skip: await engineSkip() }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  let dir = '';
  let failing: FakeDocker | undefined;
  let network = '';
  let volume = '';
  let holderId = '';
  let stoppedId = '';
  const address = docAddress6(docSubnet6(), 0x20);
  const role = () => `${prefix}.role`;

  before(async () => {
    await ensureBaseImage();
    dir = await mkdtemp(join(tmpdir(), 'berth-engine-api-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    failing = await fakeDocker(3);
    cleanup.defer(async () => failing?.remove());
    const subnet = `${address.replace(/20$/, '')}/112`;
    network = cleanup.network(`${prefix}-net`);
    await dockerOk(['network', 'create', '--ipv6', '--subnet', subnet, network]);
    holderId = (await dockerOk(['run', '-d', '--name', cleanup.container(`${prefix}-holder`), '--label', `${role()}=holder`, '--network', network, '--ip6', address, BASE_IMAGE, 'sleep', '600'])).trim();
    stoppedId = (await dockerOk(['create', '--name', cleanup.container(`${prefix}-stopped`), '--label', `${role()}=stopped`, '--network', network, BASE_IMAGE, 'true'])).trim();
    volume = cleanup.volume(`${prefix}-vol`);
    await dockerOk(['volume', 'create', volume]);
  });
  after(async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix), []);
  });

  /** `body` with a `docker` on PATH that always fails: only answers that never ran the CLI succeed. */
  async function withoutCli<T>(body: () => Promise<T>, env: Record<string, string> = {}): Promise<T> {
    assert.ok(failing);
    const restore = withEnv({ ...failing.env, BERTH_ENGINE_API: '', ...env });
    try {
      return await body();
    } finally {
      restore();
    }
  }

  /** `ask` answered over the socket and by the CLI (through a tcp DOCKER_HOST), which must agree; the socket's answer. */
  async function sameBothWays<T>(ask: () => Promise<T>): Promise<T> {
    const viaApi = await withCliEnv({}, ask);
    const tcp = await proxy(0);
    try {
      const viaCli = await withCliEnv({ DOCKER_HOST: tcp.address }, ask);
      assert.ok(tcp.connections > 0, 'the CLI talked to the tcp endpoint');
      assert.deepEqual(viaApi, viaCli);
    } finally {
      tcp.server.close();
    }
    return viaApi;
  }

  async function withCliEnv<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
    const restore = withEnv(env);
    try {
      return await body();
    } finally {
      restore();
    }
  }

  it('prints what the CLI prints (as JSON) with its exit status, without running the CLI', async () => {
    for (const args of inspectQueries(prefix, network, volume)) {
      const cli = await docker(args);
      const api = await withoutCli(() => engineCall(DOCKER, args));
      assert.equal(api.exitCode, cli.exitCode, args.join(' '));
      assert.deepEqual(JSON.parse(api.stdout), JSON.parse(cli.stdout || '[]'), args.join(' '));
      if (cli.exitCode !== 0) assert.match(api.stderr, /^Error response from daemon: .+/, args.join(' '));
    }
    const version = ['version', '--format', '{{.Server.Version}}'];
    assert.equal((await withoutCli(() => engineCall(DOCKER, version))).stdout.trim(), (await dockerOk(version)).trim());
    const holders = ['ps', '--quiet', '--no-trunc', '--all', '--filter', `network=${network}`, '--filter', `network=${prefix}-missing`];
    const listed = await withoutCli(() => engineCall(DOCKER, holders));
    assert.equal(listed.stdout, `${stoppedId}\n${holderId}\n`);
    assert.equal(listed.stdout.trim(), (await dockerOk(holders)).trim());
  });

  it('gives the edge functions the same facts as the CLI, networks with their holders', async () => {
    const ask = () => Promise.all([
      inspectImage(DOCKER, BASE_IMAGE),
      inspectImage(DOCKER, `${prefix}/missing:1`),
      inspectNetwork(DOCKER, network),
      inspectNetwork(DOCKER, `${prefix}-missing`),
      volumeExists(DOCKER, volume),
      volumeExists(DOCKER, `${prefix}-missing`),
      engineVersion(DOCKER),
    ]);
    // The real CLI stays on PATH: after an inspect that finds nothing, berth lists by name, which the CLI answers.
    const viaApi = await sameBothWays(ask);
    const holders = viaApi[2]?.holders ?? [];
    assert.deepEqual(holders.map((h) => [h.container, h.id, h.ipv6]), [[`${prefix}-holder`, holderId, address]]);
    assert.equal(viaApi[1], undefined);
    assert.equal(viaApi[3], undefined);
    assert.deepEqual([viaApi[4], viaApi[5]], [true, false]);
  });

  it('prints container inspect and ps by label as the 20.10 and 28.x clients do, without running the CLI', async () => {
    const label = `label=${role()}`;
    const inspects = [
      ['container', 'inspect', '--', holderId],
      ['container', 'inspect', '--', `${prefix}-holder`, stoppedId.slice(0, 12), `${prefix}-holder`],
    ];
    const lists = [
      ['ps', '--quiet', '--no-trunc', '--filter', label],
      ['ps', '--quiet', '--no-trunc', '--all', '--filter', label],
      ['ps', '--quiet', '--no-trunc', '--all', '--filter', `${label}=stopped`],
      ['ps', '--quiet', '--no-trunc', '--all', '--filter', label, '--filter', `network=${network}`],
    ];
    for (const client of ['docker', '/usr/bin/docker']) {
      for (const args of inspects) {
        const api = await withoutCli(() => engineCall(DOCKER, args));
        assert.equal(api.exitCode, 0, args.join(' '));
        assert.deepEqual(JSON.parse(api.stdout), JSON.parse((await cliOk(client, args))), `${client} ${args.join(' ')}`);
      }
      for (const args of lists) {
        const api = await withoutCli(() => engineCall(DOCKER, args));
        assert.equal(api.stdout, await cliOk(client, args), `${client} ${args.join(' ')}`);
      }
    }
    const listed = await withoutCli(() => engineCall(DOCKER, lists[1] ?? []));
    assert.equal(listed.stdout, `${stoppedId}\n${holderId}\n`, 'newest first');
  });

  it('leaves an inspect of containers to the CLI when one of them is not found', async () => {
    const args = ['container', 'inspect', '--', holderId, `${prefix}-absent`];
    assert.equal(await askEngineApi(DOCKER, args), undefined);
    const cli = await withoutCli(() => engineCall(DOCKER, args));
    assert.equal(cli.exitCode, 3, 'the (failing) CLI ran');
  });

  it('gives inspectContainers and observeContainers the same facts as the CLI', async () => {
    const ask = () => Promise.all([
      inspectContainers(DOCKER, [`${prefix}-holder`, stoppedId]),
      inspectContainers(DOCKER, [`${prefix}-holder`, `${prefix}-absent`, `${prefix}-stopped`]),
      inspectContainers(DOCKER, [`${prefix}-absent`]),
      observeContainers(DOCKER, { label: role(), all: true }),
      observeContainers(DOCKER, { label: role(), all: false }),
      observeContainers(DOCKER, { label: `${role()}=stopped`, all: true }),
    ]);
    const viaApi = await sameBothWays(ask);
    const names = viaApi.map((found) => found.map((c) => `${c.name}:${c.state}`));
    const holder = `${prefix}-holder:running`;
    const stopped = `${prefix}-stopped:created`;
    assert.deepEqual(names, [[holder, stopped], [holder, stopped], [], [stopped, holder], [holder], [stopped]]);
    assert.deepEqual(viaApi[0]?.[0]?.networks.map((n) => [n.name, n.ipv6]), [[network, address]]);
    assert.deepEqual(viaApi[0]?.[0]?.labels, { [role()]: 'holder' });
    // Only what the API answers in full: the same facts with a CLI that always fails.
    assert.deepEqual(await withoutCli(() => Promise.all([inspectContainers(DOCKER, [`${prefix}-holder`, stoppedId]), observeContainers(DOCKER, { label: role(), all: true })])), [viaApi[0], viaApi[3]]);
  });

  it('asks the socket DOCKER_HOST names (a second listener), not the default one', async () => {
    const second = await proxy(join(dir, 'second.sock'));
    try {
      const facts = await withoutCli(() => inspectNetwork(DOCKER, network), { DOCKER_HOST: second.address });
      assert.equal(facts?.name, network);
      assert.ok(second.connections > 0, 'the query went through the second socket');
    } finally {
      second.server.close();
    }
  });

  it('leaves a tcp DOCKER_HOST to the CLI', async () => {
    const tcp = await proxy(0);
    try {
      const refused = await withoutCli(() => engineCall(DOCKER, ['network', 'inspect', '--', network]), { DOCKER_HOST: tcp.address });
      assert.equal(refused.exitCode, 3, 'the (failing) CLI ran');
      assert.equal(tcp.connections, 0);
    } finally {
      tcp.server.close();
    }
  });

  it('says the engine cannot be reached in the CLI\'s words when the socket does not answer', async () => {
    await writeFile(join(dir, 'not-a-socket.sock'), '');
    for (const host of [`unix://${join(dir, 'absent.sock')}`, `unix://${join(dir, 'not-a-socket.sock')}`]) {
      const cli = await docker(['image', 'inspect', '--', BASE_IMAGE], { env: { DOCKER_HOST: host } });
      const answer = await withCliEnv({ DOCKER_HOST: host }, () => engineCall(DOCKER, ['image', 'inspect', '--', BASE_IMAGE]));
      assert.deepEqual([answer.exitCode, answer.stderr.trim()], [cli.exitCode, cli.stderr.trim()]);
      const error = await withCliEnv({ DOCKER_HOST: host }, () => inspectImage(DOCKER, BASE_IMAGE)).then(() => undefined, (caught: unknown) => caught);
      assert.ok(error instanceof BerthError);
      assert.equal(error.code, 'engine.unreachable');
      assert.match(error.message, new RegExp(`^cannot reach the docker engine: .*${host.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    }
  });

  it('answers a query started early once, then asks again', async () => {
    assert.ok(failing);
    const tcp = await proxy(0);
    try {
      const restore = withEnv({ DOCKER_HOST: tcp.address });
      try {
        const args = ['network', 'inspect', '--', network];
        startEngineCalls(DOCKER, [args]);
        const early = await engineCall(DOCKER, args);
        const before = tcp.connections;
        assert.equal(early.exitCode, 0);
        const again = await engineCall(DOCKER, args);
        assert.equal(again.exitCode, 0);
        assert.ok(tcp.connections > before, 'the second call asked the engine again');
      } finally {
        restore();
      }
    } finally {
      tcp.server.close();
    }
  });
});

// Podman answers without a service; when one listens (here: started by the test on a socket of
// its own), its API gives what the podman CLI prints.
describe("podman's API against a podman service", { skip: await engineSkip('podman') }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ engine: 'podman', prefix });
  let dir = '';
  let socket = '';
  let network = '';
  let volume = '';
  let stopService = () => {};
  let holderId = '';
  let stoppedId = '';
  let failing = '';
  const role = () => `${prefix}.role`;
  const address = docAddress6(docSubnet6(), 0x20);

  before(async () => {
    await ensureBaseImage('podman');
    dir = await mkdtemp(join(tmpdir(), 'berth-podman-api-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    // Where podman's service listens for a user (XDG_RUNTIME_DIR), so berth can find it as it would.
    await mkdir(join(dir, 'podman'));
    socket = join(dir, 'podman', 'podman.sock');
    const service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore', env: { ...process.env, ...engineEnv('podman') } });
    stopService = () => service.kill();
    for (let waited = 0; !existsSync(socket); waited += 50) {
      if (waited > 20_000) throw new Error('podman system service did not listen within 20 s');
      await sleep(50);
    }
    network = cleanup.network(`${prefix}-net`);
    await dockerOk(['network', 'create', '--ipv6', '--subnet', `${address.replace(/20$/, '')}/112`, network], { engine: 'podman' });
    volume = cleanup.volume(`${prefix}-vol`);
    await dockerOk(['volume', 'create', volume], { engine: 'podman' });
    const run = ['run', '-d', '--name', cleanup.container(`${prefix}-holder`), '--label', `${role()}=holder`, '--network', network, '--ip6', address, BASE_IMAGE, 'sleep', '600'];
    holderId = (await dockerOk(run, { engine: 'podman' })).trim();
    const create = ['create', '--name', cleanup.container(`${prefix}-stopped`), '--label', `${role()}=stopped`, '--network', network, BASE_IMAGE, 'true'];
    stoppedId = (await dockerOk(create, { engine: 'podman' })).trim();
    failing = await mkdtemp(join(dir, 'bin-'));
    await writeFile(join(failing, 'podman'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
  });
  after(async () => {
    stopService();
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix, 'podman'), []);
  });

  it('prints what the podman CLI prints (as JSON), with its exit status', async () => {
    for (const args of inspectQueries(prefix, network, volume)) {
      const cli = await docker(args, { engine: 'podman' });
      const api = await askEngineApi(PODMAN, args, process.env, socket);
      assert.ok(api, `the API answered ${args.join(' ')}`);
      assert.equal(api.exitCode, cli.exitCode, args.join(' '));
      assert.deepEqual(JSON.parse(api.stdout), JSON.parse(cli.stdout || '[]'), args.join(' '));
      if (cli.exitCode !== 0) assert.match(api.stderr, /^Error: .+/, args.join(' '));
    }
    const version = ['info', '--format', '{{.Version.Version}}'];
    const answered = await askEngineApi(PODMAN, version, process.env, socket);
    assert.equal(answered?.stdout.trim(), (await dockerOk(version, { engine: 'podman' })).trim());
  });
  it('prints container inspect and ps (by label, by network) as the podman CLI does', async () => {
    const label = `label=${role()}`;
    const inspects = [
      ['container', 'inspect', '--', holderId],
      ['container', 'inspect', '--', `${prefix}-holder`, stoppedId.slice(0, 12)],
    ];
    const lists = [
      ['ps', '--quiet', '--no-trunc', '--filter', label],
      ['ps', '--quiet', '--no-trunc', '--all', '--filter', label],
      ['ps', '--quiet', '--no-trunc', '--all', '--filter', `${label}=stopped`],
      ['ps', '--quiet', '--no-trunc', '--filter', `network=${network}`],
      ['ps', '--quiet', '--no-trunc', '--all', '--filter', `network=${network}`],
    ];
    for (const args of inspects) {
      const api = await askEngineApi(PODMAN, args, process.env, socket);
      assert.equal(api?.exitCode, 0, args.join(' '));
      assert.deepEqual(JSON.parse(api?.stdout ?? ''), JSON.parse(await dockerOk(args, { engine: 'podman' })), args.join(' '));
    }
    for (const args of lists) {
      const api = await askEngineApi(PODMAN, args, process.env, socket);
      assert.equal(api?.stdout, `${(await dockerOk(args, { engine: 'podman' })).trim()}\n`, args.join(' '));
    }
    const all = await askEngineApi(PODMAN, lists[1] ?? [], process.env, socket);
    assert.equal(all?.stdout, `${holderId}\n${stoppedId}\n`, 'oldest first');
    assert.equal(await askEngineApi(PODMAN, ['container', 'inspect', '--', holderId, `${prefix}-absent`], process.env, socket), undefined);
  });

  it('gives inspectContainers, observeContainers and the holders of a network the same facts as the CLI', async () => {
    const ask = () => Promise.all([
      inspectContainers(PODMAN, [`${prefix}-holder`, stoppedId]),
      observeContainers(PODMAN, { label: role(), all: true }),
      observeContainers(PODMAN, { label: role(), all: false }),
      inspectNetwork(PODMAN, network),
    ]);
    const cliOnly = withEnv({ BERTH_ENGINE_API: '0' });
    const viaCli = await ask().finally(cliOnly);
    // As a user whose podman.socket listens, with a podman CLI that always fails: only the API answers.
    const getuid = Object.getOwnPropertyDescriptor(process, 'getuid');
    Object.defineProperty(process, 'getuid', { value: () => 1000, configurable: true, writable: true });
    const restore = withEnv({ XDG_RUNTIME_DIR: dir, BERTH_ENGINE_API: '', PATH: `${failing}:${process.env['PATH'] ?? ''}` });
    try {
      assert.equal(localSocket(PODMAN), socket);
      assert.deepEqual(await ask(), viaCli);
    } finally {
      restore();
      if (getuid) Object.defineProperty(process, 'getuid', getuid);
    }
    const holder = `${prefix}-holder:running`;
    const stopped = `${prefix}-stopped:created`;
    const [inspected, all, running, facts] = viaCli;
    assert.deepEqual([inspected, all, running].map((found) => found.map((c) => `${c.name}:${c.state}`)), [[holder, stopped], [holder, stopped], [holder]]);
    assert.deepEqual(facts?.holders.map((h) => [h.container, h.id, h.ipv6]), [[`${prefix}-holder`, holderId, address]]);
  });
});
