// berth run --replace on one network, reached from the host itself as every client's packets are
// (an upstream router hands them to the host, which forwards them over the network's bridge):
// while a page is fetched from the address throughout, the new container takes over and the
// host's neighbour table points at it as soon as it has started; an old container that dies at
// once is replaced every time, and so is one whose end berth cannot follow in docker's event log;
// a new one that cannot start leaves the old one serving.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { berth, REPO_ROOT, STACK_FRAME } from '../helpers/berth.js';
import { Cleanup, docker, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix } from '../helpers/engine.js';
import { fetchPage } from '../helpers/http.js';
import { docAddress6, docSubnet6, ip, netnsSkip } from '../helpers/netns.js';

// The neighbour table is the host's: only root may write it, and only root reads it as berth does.
const skip = (await engineSkip()) || (await netnsSkip());

describe('berth run --replace, fetched from the host', { skip, timeout: 180_000 }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const web = cleanup.image(`${prefix}-web:1`);
  const name = cleanup.container(`${prefix}-web`);
  const subnet = docSubnet6();
  const address = docAddress6(subnet, 0x20);
  const url = `http://[${address}]/`;
  let hostPath = '';
  // busybox httpd ignores SIGTERM: the stop timeout is how long the old container still serves.
  const run = (args: readonly string[] = [], stopTimeout = '1') => ['run', '--host-config', hostPath, '-d', '--stop-timeout', stopTimeout, ...args, '--name', name, web];
  const idOf = async (ref: string) => (await dockerOk(['container', 'inspect', '--format', '{{.Id}}', ref])).trim();

  before(async () => {
    await ensureBaseImage();
    const dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-replace-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const pages = join(dir, 'pages');
    await mkdir(pages);
    await writeFile(join(pages, 'index.html'), `served by ${prefix}`);
    const network = cleanup.network(`${prefix}-net`);
    hostPath = join(dir, 'host.yaml');
    await writeFile(hostPath, stringify({
      networks: { [network]: { subnet6: subnet } },
      addresses: { webserver: { network, ipv6: address } },
      volumes: { webpages: { source: pages } },
    }));
    const built = await berth(['build', '-q', '-t', web, join(REPO_ROOT, 'fixtures/web')]);
    assert.equal(built.exitCode, 0, built.stderr);
    const started = await berth(run());
    assert.equal(started.exitCode, 0, started.stderr);
    assert.equal(await fetchPage(url), `served by ${prefix}`);
  });
  after(async () => {
    await cleanup.run();
    if (!skip) assert.deepEqual(await leftovers(prefix), []);
  });

  it('points the host at the new container once it has started, though the host asked for the address while no container had it', async () => {
    const oldId = await idOf(name);
    const dry = await berth(run(['--dry-run', '--replace', name]));
    assert.equal(dry.exitCode, 0, dry.stderr);
    const commands = dry.stdout.split('\n').filter((line) => /^(docker|ip) /.test(line)).slice(1);
    assert.deepEqual(commands.map((line) => line.replace(/ dev \S+ /, ' dev BRIDGE ')), [
      `docker stop ${name}`,
      "docker start '<container>'",
      `ip -6 neigh replace ${address} lladdr '<mac>' dev BRIDGE nud stale`,
      `docker rm --force ${name}`,
      `docker rename ${name}-berth-new ${name}`,
    ]);
    assert.equal(await idOf(name), oldId, 'a dry run replaced the container');
    const fetching = fetchEvery50ms(url);
    const replaced = await berth(run(['--verbose', '--replace', name]));
    const neighbour = (await ip(['-6', 'neigh', 'show', address])).stdout;
    const answers = await fetching.stop();
    assert.equal(replaced.exitCode, 0, replaced.stderr);
    const newId = replaced.stdout.trim();
    assert.equal(await idOf(name), newId);
    assert.notEqual((await docker(['container', 'inspect', oldId])).exitCode, 0, 'the old container is still there');
    // The host asked for the address while no container had it (fetches failed), and now knows
    // the new container's link-layer address without asking again.
    assert.ok(answers.includes(false) && answers[0] === true, `fetches: ${answers.join(' ')}`);
    const mac = (await dockerOk(['container', 'inspect', '--format', '{{range .NetworkSettings.Networks}}{{.MacAddress}}{{end}}', newId])).trim();
    assert.match(neighbour, new RegExp(`^${address} dev \\S+ lladdr ${mac} (STALE|DELAY|PROBE|REACHABLE)`, 'm'));
    assert.match(replaced.stderr, new RegExp(`^berth: \\+ ip -6 neigh replace ${address} lladdr ${mac} dev \\S+ nud stale$`, 'm'));
    assert.equal(await fetchPage(url), `served by ${prefix}`);
  });

  it('replaces an old container that dies at once, every time', async () => {
    for (let round = 0; round < 3; round++) {
      const oldId = await idOf(name);
      const replaced = await berth(run(['--replace', name], '0'));
      assert.equal(replaced.exitCode, 0, replaced.stderr);
      assert.equal(await idOf(name), replaced.stdout.trim());
      assert.notEqual((await docker(['container', 'inspect', oldId])).exitCode, 0);
      assert.equal(await fetchPage(url), `served by ${prefix}`);
    }
  });

  it('starts the new container once the old one has stopped when docker cannot follow its event log', async () => {
    // A docker first on PATH whose `events` fails at once; every other command is the real CLI's.
    const bin = await mkdtemp(join(tmpdir(), 'berth-replace-no-events-'));
    try {
      const real = (await execa('sh', ['-c', 'command -v docker'])).stdout.trim();
      await writeFile(join(bin, 'docker'), `#!/bin/sh\n[ "$1" = events ] && exit 1\nexec ${real} "$@"\n`, { mode: 0o755 });
      const oldId = await idOf(name);
      const replaced = await berth(run(['--verbose', '--replace', name]), { env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
      assert.equal(replaced.exitCode, 0, replaced.stderr);
      assert.match(replaced.stderr, /^berth: \+ docker events /m);
      assert.equal(await idOf(name), replaced.stdout.trim());
      assert.notEqual((await docker(['container', 'inspect', oldId])).exitCode, 0);
      assert.equal(await fetchPage(url), `served by ${prefix}`);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('starts the old container again when the new one cannot start, and it serves', async () => {
    const before = await idOf(name);
    const failed = await berth([...run(['--replace', name]), '/no/such/program']);
    assert.equal(failed.exitCode, 125, failed.stderr);
    assert.match(failed.stderr, new RegExp(`^berth: cannot start the new container for ${web}: .*it was removed and ${name} was started again`, 'm'));
    assert.doesNotMatch(failed.stderr, STACK_FRAME);
    assert.equal((await dockerOk(['container', 'inspect', '--format', '{{.Id}} {{.State.Status}}', name])).trim(), `${before} running`);
    assert.equal((await dockerOk(['ps', '-a', '--filter', `name=${name}-berth-`, '--format', '{{.Names}}'])).trim(), '');
    assert.equal(await fetchPage(url), `served by ${prefix}`);
  });
});

/** Fetches `url` every 50 ms until stopped: whether each fetch answered, in order. */
function fetchEvery50ms(url: string): { stop: () => Promise<boolean[]> } {
  const answers: boolean[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      answers.push(await answers200(url));
      await sleep(50);
    }
  })();
  return { stop: async () => ((running = false), await loop, answers) };
}

function answers200(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { timeout: 200 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode === 200));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
