// berth run end to end against the real engine: an image built with berth build from
// fixtures/web is started with a host file and serves its page over IPv6 and IPv4; providers make
// what is missing; and every way a run can be refused (unmet needs, failing providers, an address
// taken by a concurrent run, an unreachable engine, options that contradict the needs) exits 125
// and leaves no container and no network behind.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { berth, REPO_ROOT, STACK_FRAME, type BerthResult } from '../helpers/berth.js';
import {
  BASE_IMAGE, Cleanup, docker, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix,
} from '../helpers/engine.js';
import { fetchPage } from '../helpers/http.js';
import { docAddress6, docSubnet6 } from '../helpers/netns.js';
import { address4, freeSite, freeSubnet4, type Site } from '../helpers/subnets.js';

const PROVIDERS = join(REPO_ROOT, 'fixtures/providers');
const EXIT_CANNOT_START = 125;

describe('berth run', { skip: await engineSkip() }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const web = cleanup.image(`${prefix}-web:1`);
  const images = [web];
  let dir = '';
  let count = 0;
  const unique = (what: string) => `${prefix}-${what}${count++}`;

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-run-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const built = await berth(['build', '-q', '-t', web, join(REPO_ROOT, 'fixtures/web')]);
    assert.equal(built.exitCode, 0, built.stderr);
  });
  after(() => cleanup.run());

  /** A fresh network for a host file, with an IPv4 subnet too when asked. */
  const site = (options: { readonly ipv4?: boolean } = {}): Promise<Site> =>
    freeSite(unique('net'), options.ipv4 ? { engine: 'docker' } : undefined);

  /** A host file (YAML) declaring the site's network and `webserver`, plus `rest`. */
  async function hostFile(where: Site, rest: Record<string, unknown> = {}): Promise<string> {
    const config = {
      networks: { [where.network]: { subnet6: where.subnet6, ...(where.subnet4 ? { subnet4: where.subnet4 } : {}) } },
      addresses: { webserver: { network: where.network, ipv6: where.ipv6, ...(where.ipv4 ? { ipv4: where.ipv4 } : {}) } },
      ...rest,
    };
    const path = join(dir, `${unique('host')}.yaml`);
    await writeFile(path, stringify(config));
    return path;
  }

  /** A directory holding index.html with `text`. */
  async function pages(text: string, path = join(dir, unique('pages'))): Promise<string> {
    await mkdir(path, { recursive: true });
    await writeFile(join(path, 'index.html'), text);
    return path;
  }

  /** The containers of this file's images and the containers and networks named with its prefix. */
  async function engineObjects(): Promise<string[]> {
    const ancestors = images.flatMap((image) => ['--filter', `ancestor=${image}`]);
    const containers = await dockerOk(['ps', '-a', ...ancestors, '--format', 'container {{.Names}} {{.State}}']);
    const named = await dockerOk(['ps', '-a', '--filter', `name=${prefix}`, '--format', 'container {{.Names}} {{.State}}']);
    const networks = await dockerOk(['network', 'ls', '--filter', `name=${prefix}`, '--format', 'network {{.Name}}']);
    return [...new Set(lines(`${containers}\n${named}\n${networks}`))].sort();
  }

  /** Asserts a refused run: status 125, berth's own message, no stack trace, and nothing new in the engine. */
  async function assertRefused(result: BerthResult, objectsBefore: readonly string[], patterns: readonly (RegExp | string)[]): Promise<void> {
    assert.equal(result.exitCode, EXIT_CANNOT_START, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    assert.match(result.stderr, /^berth: /m);
    assert.doesNotMatch(result.stderr, STACK_FRAME);
    for (const pattern of patterns) {
      if (typeof pattern === 'string') assert.ok(result.stderr.includes(pattern), `stderr lacks ${JSON.stringify(pattern)}:\n${result.stderr}`);
      else assert.match(result.stderr, pattern);
    }
    assert.deepEqual(await engineObjects(), objectsBefore);
  }

  const run = (host: string, args: readonly string[], env?: Record<string, string>) =>
    berth(['run', '--host-config', host, ...args], { timeoutMs: 60_000, ...(env ? { env } : {}) });

  it('serves a page from the host directory over IPv6 and over IPv4, and -d prints the id', async () => {
    const where = await site({ ipv4: true });
    const page = `hello from ${prefix}\n`;
    const host = await hostFile(where, { volumes: { webpages: { source: await pages(page) } } });
    const container = cleanup.container(unique('web'));

    const started = await run(host, ['-d', '--rm', '--name', container, web]);
    assert.equal(started.exitCode, 0, started.stderr);
    assert.equal(started.stdout.trim(), await containerId(container));
    assert.equal(await fetchPage(`http://[${where.ipv6}]/`), page);
    assert.equal(await fetchPage(`http://${where.ipv4}/`), page);
    // Started by the image id berth checked, so a tag moved meanwhile cannot swap it; the reference stays as a label.
    const imageId = (await dockerOk(['image', 'inspect', '--format', '{{.Id}}', web])).trim();
    const recorded = (await dockerOk(['container', 'inspect', '--format', '{{.Image}} {{.Config.Image}} {{index .Config.Labels "berth.image"}}', container])).trim();
    assert.equal(recorded, `${imageId} ${imageId} ${web}`);
    assert.equal((await dockerOk(['ps', '--filter', `ancestor=${web}`, '--filter', `name=${container}`, '--quiet'])).trim() !== '', true);
    await dockerOk(['rm', '-f', container]);
  });

  it('--dry-run prints the resolution and the exact docker commands, and creates nothing', async () => {
    const where = await site({ ipv4: true });
    const page = `dry run of ${prefix}\n`;
    const source = await pages(page);
    const host = await hostFile(where, { volumes: { webpages: { source } } });
    const container = cleanup.container(unique('dry'));
    const objectsBefore = await engineObjects();

    const dry = await run(host, ['--dry-run', '-d', '--rm', '--name', container, web]);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`^address webserver +${escape(where.ipv6)} and ${escape(where.ipv4 ?? '')} on network ${where.network}$`, 'm'));
    assert.match(dry.stdout, new RegExp(`^volume webpages +${escape(source)} at /www$`, 'm'));
    const commands = dry.stdout.split('\n').filter((line) => line.startsWith('docker '));
    // The container starts from the image id berth checked, with the reference kept as a label.
    const imageId = (await dockerOk(['image', 'inspect', '--format', '{{.Id}}', web])).trim();
    assert.deepEqual(commands, [
      `docker network create --ipv6 --subnet ${where.subnet6} --subnet ${where.subnet4} -- ${where.network}`,
      `docker run --network ${where.network} --ip6 ${where.ipv6} --ip ${where.ipv4} --mount type=bind,source=${source},target=/www --label berth.image=${web} -d --rm --name ${container}`
        + ` --label berth.run.schema=1 --label berth.run.host-file=${host}`
        + ` --label 'berth.run.address.webserver={"host":"webserver","network":"${where.network}","ipv6":"${where.ipv6}","ipv4":"${where.ipv4}"}'`
        + ` --label 'berth.run.volume.webpages={"host":"webpages","source":"${source}"}' -- ${imageId}`,
    ]);
    assert.deepEqual(await engineObjects(), objectsBefore);
    assert.equal(await networkExists(where.network), false);

    // They are the commands berth would run: typed by hand, they start the same server.
    for (const command of commands) await execa('sh', ['-c', command]);
    assert.equal(await fetchPage(`http://[${where.ipv6}]/`), page);
    await dockerOk(['rm', '-f', container]);
  });

  it('runs the volume entry\'s provider when its directory is missing, and mounts what it made', async () => {
    const where = await site();
    const base = join(dir, unique('made'));
    const made = join(base, 'webpages');
    const host = await hostFile(where, { volumes: { webpages: { source: made, provider: [join(PROVIDERS, 'make-dir'), base] } } });
    const container = cleanup.container(unique('made'));

    const started = await run(host, ['-d', '--rm', '--name', container, web]);
    assert.equal(started.exitCode, 0, started.stderr);
    await writeFile(join(made, 'index.html'), 'made by the provider\n');
    assert.equal(await fetchPage(`http://[${where.ipv6}]/`), 'made by the provider\n');
    await dockerOk(['rm', '-f', container]);
  });

  it('refuses options that contradict the needs before any provider runs', async () => {
    const where = await site();
    const base = join(dir, unique('unprovided'));
    const made = join(base, 'webpages');
    const host = await hostFile(where, { volumes: { webpages: { source: made, provider: [join(PROVIDERS, 'make-dir'), base] } } });
    const objectsBefore = await engineObjects();

    const refused = await run(host, ['-v', `${await pages('mine\n')}:/www`, '--rm', web]);
    await assertRefused(refused, objectsBefore, [/your options contradict its needs/, /\/www/]);
    await assert.rejects(readFile(join(made, 'index.html')));
    assert.equal(existsSync(made), false, 'the provider must not have run');
  });

  it('takes an undeclared volume from the fallback provider\'s {"source": ...}', async () => {
    const where = await site();
    const base = join(dir, unique('fallback'));
    await pages('from the fallback provider\n', join(base, 'webpages'));
    const host = await hostFile(where, { providers: { volume: [join(PROVIDERS, 'print-source'), base] } });
    const container = cleanup.container(unique('fallback'));

    const started = await run(host, ['-d', '--rm', '--name', container, web]);
    assert.equal(started.exitCode, 0, started.stderr);
    assert.equal(await fetchPage(`http://[${where.ipv6}]/`), 'from the fallback provider\n');
    await dockerOk(['rm', '-f', container]);
  });

  it('refuses when the provider fails, quoting its argv, status and the end of its stderr', async () => {
    const where = await site();
    const fail = join(PROVIDERS, 'fail');
    const host = await hostFile(where, { volumes: { webpages: { source: join(dir, unique('missing')), provider: [fail] } } });
    const objectsBefore = await engineObjects();

    const refused = await run(host, ['-d', '--name', unique('fail'), web]);
    await assertRefused(refused, objectsBefore, [
      /volume "webpages": /,
      `provider ${fail} volume webpages exited with status 3`,
      'fail: detail line 14',
      'fail: cannot provide volume webpages: server refused',
    ]);
    // Only the last lines of a long stderr are quoted.
    assert.doesNotMatch(refused.stderr, /detail line 1$/m);
    assert.equal(await networkExists(where.network), false);
  });

  it('refuses when the provider hangs past provider-timeout, and ends its process tree', async () => {
    const where = await site();
    const pidfile = join(dir, `${unique('hang')}.pid`);
    const host = await hostFile(where, {
      volumes: { webpages: { source: join(dir, unique('missing')), provider: [join(PROVIDERS, 'hang'), pidfile] } },
      'provider-timeout': 2,
    });
    const objectsBefore = await engineObjects();

    const began = Date.now();
    const refused = await run(host, ['-d', '--name', unique('hang'), web]);
    await assertRefused(refused, objectsBefore, [/volume "webpages": /, /hang .*timed out after 2s/]);
    assert.ok(Date.now() - began < 15_000, `berth took ${Date.now() - began} ms for a 2 s timeout`);
    // The provider ignores SIGTERM and so does the sleep it started; both must be gone.
    const child = Number((await readFile(pidfile, 'utf8')).trim());
    assert.ok(Number.isInteger(child) && child > 0, `no pid in ${pidfile}`);
    assert.equal(await processEnds(child), true, `the provider's child ${child} still runs`);
    assert.equal(await networkExists(where.network), false);
  });

  it('ends the provider\'s process group when berth is interrupted, then dies of the same signal', async () => {
    const where = await site();
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const pidfile = join(dir, `${unique('interrupted')}.pid`);
      const host = await hostFile(where, {
        volumes: { webpages: { source: join(dir, unique('missing')), provider: [join(PROVIDERS, 'hang'), pidfile] } },
      });
      const objectsBefore = await engineObjects();
      const berthRun = execa(process.execPath, [join(REPO_ROOT, 'dist/cli/bin.cjs'), 'run', '--host-config', host, '--rm', web], { reject: false, stdin: 'ignore', timeout: 30_000 });
      assert.equal(await eventually(async () => existsSync(pidfile) && (await readFile(pidfile, 'utf8')).trim() !== ''), true, 'the provider did not start');
      const child = Number((await readFile(pidfile, 'utf8')).trim());
      berthRun.kill(signal);
      const result = await berthRun;
      assert.equal(result.signal, signal, `${signal}: berth ended with ${result.exitCode ?? result.signal ?? '?'}:\n${String(result.stderr)}`);
      assert.equal(await processEnds(child), true, `${signal}: the provider's child ${child} still runs`);
      assert.deepEqual(await engineObjects(), objectsBefore);
    }
  });

  it('gives all providers of a run one provider-timeout, not one each', async () => {
    const many = cleanup.image(`${prefix}-many:1`);
    images.push(many);
    const names = ['v1', 'v2', 'v3', 'v4', 'v5'];
    const context = join(dir, unique('many'));
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), [`FROM ${BASE_IMAGE}`, ...names.map((name) => `NEED volume ${name} /${name}`), ''].join('\n'));
    const built = await berth(['build', '-q', '-t', many, context]);
    assert.equal(built.exitCode, 0, built.stderr);
    const where = await site();
    const pidfiles = names.map((name) => join(dir, `${unique(name)}.pid`));
    const host = await hostFile(where, {
      volumes: Object.fromEntries(names.map((name, i) => [name, { source: join(dir, unique('missing')), provider: [join(PROVIDERS, 'hang'), pidfiles[i]] }])),
      'provider-timeout': 1,
    });
    const objectsBefore = await engineObjects();
    const began = Date.now();
    const refused = await run(host, ['--rm', many]);
    const took = Date.now() - began;
    // One second for the providers and at most the kill grace of 2 s, however many needs there are.
    assert.ok(took < 6_000, `berth took ${took} ms for five providers under one 1 s deadline`);
    await assertRefused(refused, objectsBefore, [/timed out after 1s/, /was not run: the providers before it used up provider-timeout \(1s for all providers of a run\)/]);
    for (const pidfile of pidfiles.filter(existsSync)) {
      assert.equal(await processEnds(Number((await readFile(pidfile, 'utf8')).trim())), true);
    }
  });

  it('refuses when a fallback provider prints something that is not a JSON object', async () => {
    const where = await site();
    const garbage = join(PROVIDERS, 'garbage');
    const host = await hostFile(where, { providers: { volume: [garbage] } });
    const objectsBefore = await engineObjects();

    const refused = await run(host, ['-d', '--name', unique('garbage'), web]);
    await assertRefused(refused, objectsBefore, [/volume "webpages" is not provided/, `provider ${garbage} printed no usable entry`, /not one JSON object|other than one JSON object/]);
    assert.equal(await networkExists(where.network), false);
  });

  it('lists every unmet need, exits 125 and creates nothing', async () => {
    const where = await site();
    // The network is declared, but neither the address nor the volume is.
    const host = join(dir, `${unique('host')}.yaml`);
    await writeFile(host, stringify({ networks: { [where.network]: { subnet6: where.subnet6 } } }));
    const objectsBefore = await engineObjects();

    const refused = await run(host, ['-d', '--name', unique('unmet'), web]);
    await assertRefused(refused, objectsBefore, [
      /2 needs are not met/,
      `address "webserver" is not provided by ${host}`,
      `volume "webpages" is not provided by ${host}`,
    ]);
    assert.equal(await networkExists(where.network), false);
  });

  it('of two runs started at once for one address, exactly one starts; the other names the holder', async () => {
    const where = await site();
    const host = await hostFile(where, { volumes: { webpages: { source: await pages('raced\n') } } });
    const names = [cleanup.container(unique('race')), cleanup.container(unique('race'))];
    const objectsBefore = await engineObjects();

    const results = await Promise.all(names.map((name) => run(host, ['-d', '--name', name, web])));
    const report = results.map((r, i) => `${names[i]}: exit ${r.exitCode}\n${r.stderr}`).join('\n');
    const winner = results.findIndex((r) => r.exitCode === 0);
    const loser = results.findIndex((r) => r.exitCode !== 0);
    assert.ok(winner >= 0 && loser >= 0, report);
    assert.equal(results[loser]?.exitCode, EXIT_CANNOT_START, report);
    const held = new RegExp(`${escape(where.ipv6)} on network ${where.network} (is held by|was taken by) container ${names[winner]}`);
    assert.match(results[loser]?.stderr ?? '', held);
    assert.doesNotMatch(results[loser]?.stderr ?? '', STACK_FRAME);
    // Only the winner exists, running: the loser left no created-but-never-started container.
    const expected = [...objectsBefore, `container ${names[winner]} running`, `network ${where.network}`].sort();
    assert.deepEqual(await engineObjects(), expected);
    assert.equal(await fetchPage(`http://[${where.ipv6}]/`), 'raced\n');
    await dockerOk(['rm', '-f', ...names]);
  });

  it('names the engine network whose subnet overlaps the one it would create, and creates nothing', async () => {
    const where = await site();
    const squatter = cleanup.network(unique('squatter'));
    await dockerOk(['network', 'create', '--ipv6', '--subnet', where.subnet6, squatter]);
    const host = await hostFile(where, { volumes: { webpages: { source: await pages('unused\n') } } });
    const before = await engineObjects();
    const result = await run(host, ['--rm', web]);
    await assertRefused(result, before, [
      `cannot create network ${where.network}: its subnet ${where.subnet6} overlaps ${where.subnet6} of network ${squatter}`,
      `or remove ${squatter}`,
    ]);
    await dockerOk(['network', 'rm', squatter]);
  });

  it('passes SIGTERM sent to berth on to the container, as docker run does, with one network and with several', async () => {
    const where = await site();
    const second = { network: unique('net'), subnet6: docSubnet6() };
    const source = await pages('signals\n');
    const one = await hostFile(where, { volumes: { webpages: { source } } });
    const several = await hostFile(where, {
      networks: { [where.network]: { subnet6: where.subnet6 }, [second.network]: { subnet6: second.subnet6 } },
      volumes: { webpages: { source } },
      addresses: { webserver: { network: where.network, ipv6: where.ipv6 } },
    });
    const multi = cleanup.image(`${prefix}-signals:1`);
    images.push(multi);
    const context = join(dir, unique('signals'));
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), `FROM ${web}\nNEED network ${second.network}\n`);
    assert.equal((await berth(['build', '-q', '-t', multi, context])).exitCode, 0);

    const script = 'trap "echo got TERM; exit 9" TERM; echo started; sleep 600 & wait';
    for (const [host, image] of [[one, web], [several, multi]] as const) {
      const child = execa(process.execPath, [join(REPO_ROOT, 'dist/cli/bin.cjs'), 'run', '--host-config', host, '--rm', image, 'sh', '-c', script], {
        reject: false, stdin: 'ignore', timeout: 60_000,
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
        child.on('exit', () => reject(new Error('berth ended before the container started')));
      });
      child.kill('SIGTERM');
      const ended = await child;
      assert.equal(ended.exitCode, 9, `${image}: ${String(ended.stderr)}`);
      assert.match(String(ended.stdout), /got TERM/);
    }
  });

  it('says the engine cannot be reached, and exits 125', async () => {
    const where = await site();
    const host = await hostFile(where, { volumes: { webpages: { source: await pages('unreached\n') } } });
    const objectsBefore = await engineObjects();

    const refused = await run(host, ['-d', web], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    await assertRefused(refused, objectsBefore, [/cannot reach the docker engine/, 'unix:///nonexistent.sock', /DOCKER_HOST/]);
  });

  it('joins several networks with create, connect and start: addresses, -d id and exit status', async () => {
    const multi = cleanup.image(`${prefix}-multi:1`);
    images.push(multi);
    // A network's name in the host file is the engine's name for it, so the image names this run's.
    const n = { front: unique('net'), back: unique('net'), side: unique('net') };
    const context = join(dir, unique('multi'));
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), [
      `FROM ${BASE_IMAGE}`,
      'ADDRESS front back',
      `NEED network ${n.side}`,
      'CMD ["sleep", "600"]',
      '',
    ].join('\n'));
    const built = await berth(['build', '-q', '-t', multi, context]);
    assert.equal(built.exitCode, 0, built.stderr);

    const [one, two, three] = [docSubnet6(), docSubnet6(), docSubnet6()];
    const subnet4 = await freeSubnet4({ engine: 'docker' });
    const want = { front6: docAddress6(one, 0x10), back6: docAddress6(two, 0x11), back4: address4(subnet4, 5) };
    const host = join(dir, `${unique('host')}.yaml`);
    await writeFile(host, stringify({
      networks: { [n.front]: { subnet6: one }, [n.back]: { subnet6: two, subnet4 }, [n.side]: { subnet6: three } },
      addresses: {
        front: { network: n.front, ipv6: want.front6 },
        back: { network: n.back, ipv6: want.back6, ipv4: want.back4 },
      },
    }));

    const container = cleanup.container(unique('multi'));
    const dry = await run(host, ['--dry-run', '-d', '--name', container, multi]);
    assert.equal(dry.exitCode, 0, dry.stderr);
    const steps = dry.stdout.split('\n').flatMap((line) => /^docker (network create|network connect|create|start) /.exec(line)?.[1] ?? []);
    assert.deepEqual(steps, ['network create', 'network create', 'network create', 'create', 'network connect', 'network connect', 'start']);

    const started = await run(host, ['-d', '--name', container, multi]);
    assert.equal(started.exitCode, 0, started.stderr);
    assert.match(started.stdout, /^[0-9a-f]{64}\n$/);
    assert.equal(started.stdout.trim(), await containerId(container));
    const joined = JSON.parse(await dockerOk(['inspect', '--format', '{{json .NetworkSettings.Networks}}', container])) as
      Record<string, { GlobalIPv6Address: string; IPAddress: string }>;
    assert.deepEqual(Object.keys(joined).sort(), [n.front, n.back, n.side].sort());
    assert.equal(joined[n.front]?.GlobalIPv6Address, want.front6);
    assert.equal(joined[n.back]?.GlobalIPv6Address, want.back6);
    assert.equal(joined[n.back]?.IPAddress, want.back4);
    const sideAddress = joined[n.side]?.GlobalIPv6Address ?? '';
    assert.ok(sideAddress.startsWith(three.slice(0, three.indexOf('::/') + 2)), `${sideAddress} is not in ${three}`);
    await dockerOk(['rm', '-f', container]);

    // Attached, the container's output and exit status come through as under docker run.
    const attached = await run(host, ['--rm', multi, 'sh', '-c', 'echo "on $(ls /sys/class/net | grep -c eth) networks"; exit 7']);
    assert.equal(attached.exitCode, 7, attached.stderr);
    assert.equal(attached.stdout, 'on 3 networks\n');
    assert.equal(await eventually(async () => (await engineObjects()).every((o) => !o.startsWith('container '))), true, '--rm left the container');
  });

  it('undoes everything a run made when the container cannot start, whatever status the engine gave, and exits 125', async () => {
    const broken = cleanup.image(`${prefix}-broken:1`);
    images.push(broken);
    const n = { front: unique('net'), back: unique('net') };
    const context = join(dir, unique('broken'));
    await mkdir(context);
    // The runtime refuses a mount under /proc only when the container starts, after berth created its networks.
    await writeFile(join(context, 'Dockerfile'), `FROM ${BASE_IMAGE}\nADDRESS front back\nNEED volume pages /proc/berth\n`);
    const built = await berth(['build', '-q', '-t', broken, context]);
    assert.equal(built.exitCode, 0, built.stderr);
    const [one, two] = [docSubnet6(), docSubnet6()];
    const host = join(dir, `${unique('host')}.yaml`);
    await writeFile(host, stringify({
      networks: { [n.front]: { subnet6: one }, [n.back]: { subnet6: two } },
      addresses: { front: { network: n.front, ipv6: docAddress6(one, 0x10) }, back: { network: n.back, ipv6: docAddress6(two, 0x11) } },
      volumes: { pages: { source: await pages('unused\n') } },
    }));
    // One network: docker run itself (127 for a command it cannot execute, as for the refused mount).
    const single = join(dir, `${unique('host')}.yaml`);
    const where = await site();
    await writeFile(single, stringify({
      networks: { [where.network]: { subnet6: where.subnet6 } },
      addresses: { webserver: { network: where.network, ipv6: where.ipv6 } },
      volumes: { webpages: { source: await pages('unused\n') } },
    }));
    const objectsBefore = await engineObjects();
    const attempts: Array<[string, readonly string[]]> = [
      ['several networks, attached (docker start exits 1)', [host, broken, 'true']],
      ['several networks, attached, --rm', [host, '--rm', broken, 'true']],
      ['several networks, detached', [host, '-d', broken, 'true']],
      ['one network, a command that cannot be executed', [single, web, 'no-such-command']],
      ['one network, a command that cannot be executed, --rm', [single, '--rm', web, 'no-such-command']],
    ];
    for (const [what, [hostPath = '', ...args]] of attempts) {
      const result = await run(hostPath, args);
      await assertRefused(result, objectsBefore, [/cannot start \S+: the engine refused/, /berth removed what it had created/]);
      assert.equal(await networkExists(n.front), false, `${what}: ${n.front} was left`);
      assert.equal(await networkExists(where.network), false, `${what}: ${where.network} was left`);
    }
    // A container that did run keeps its own status, with --rm too.
    assert.equal((await run(single, ['--rm', web, 'sh', '-c', 'exit 127'])).exitCode, 127);
    assert.equal((await run(single, ['--rm', web, 'sh', '-c', 'exit 125'])).exitCode, 125);
    assert.equal((await run(single, ['--rm', web, 'sh', '-c', 'exit 1'])).exitCode, 1);
    await dockerOk(['network', 'rm', where.network]);
  });

  it('passes the exit status and docker options through, and refuses options that contradict the needs', async () => {
    const where = await site();
    const page = `options of ${prefix}\n`;
    const host = await hostFile(where, { volumes: { webpages: { source: await pages(page) } } });

    const three = await run(host, ['--rm', web, 'sh', '-c', 'exit 3']);
    assert.equal(three.exitCode, 3, three.stderr);
    const env = await run(host, ['--rm', '-e', 'X=1', web, 'sh', '-c', 'echo "X=$X"; cat /www/index.html']);
    assert.equal(env.exitCode, 0, env.stderr);
    assert.equal(env.stdout, `X=1\n${page}`);

    const other = docSubnet6();
    const otherNetwork = cleanup.network(unique('other'));
    await dockerOk(['network', 'create', '--ipv6', '--subnet', other, otherNetwork]);
    // A fresh host network, so that "nothing created" can be seen.
    const fresh = await site();
    const freshHost = await hostFile(fresh, { volumes: { webpages: { source: await pages(page) } } });
    const objectsBefore = await engineObjects();

    const network = await run(freshHost, ['--rm', '--network', otherNetwork, web, 'true']);
    await assertRefused(network, objectsBefore, [`--network ${otherNetwork} contradicts`, /--allow-override/]);
    const volume = await run(freshHost, ['--rm', '-v', `${dir}:/www`, web, 'true']);
    await assertRefused(volume, objectsBefore, [/\/www/, /--allow-override/]);

    const overridden = await run(freshHost, ['--allow-override', '--rm', '--network', otherNetwork, web, 'sh', '-c', 'ip -6 addr; exit 5']);
    assert.equal(overridden.exitCode, 5, overridden.stderr);
    assert.ok(overridden.stdout.includes(other.slice(0, other.indexOf('::/') + 2)), `not on ${otherNetwork}:\n${overridden.stdout}`);
    assert.equal(await networkExists(fresh.network), false);
  });

  it('runs an image without berth labels exactly as docker run does, without reading a host file', async () => {
    const script = 'echo out; echo err >&2; exit 4';
    const missingHost = { BERTH_HOST_CONFIG: join(dir, 'no-such-host.yaml') };
    const viaBerth = await berth(['run', '--rm', '--name', unique('plain'), BASE_IMAGE, 'sh', '-c', script], { env: missingHost });
    const viaDocker = await docker(['run', '--rm', '--name', unique('plain'), BASE_IMAGE, 'sh', '-c', script]);
    assert.deepEqual(
      { stdout: viaBerth.stdout, stderr: viaBerth.stderr, exitCode: viaBerth.exitCode },
      { stdout: `${viaDocker.stdout}\n`, stderr: `${viaDocker.stderr}\n`, exitCode: viaDocker.exitCode },
    );
    assert.equal(viaBerth.exitCode, 4);
  });

  it('leaves nothing behind', async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix), []);
  });
});

async function containerId(name: string): Promise<string> {
  return (await dockerOk(['inspect', '--format', '{{.Id}}', name])).trim();
}

async function networkExists(name: string): Promise<boolean> {
  return (await docker(['network', 'inspect', name])).exitCode === 0;
}

/** True once `check` holds, polled for up to 10 s. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** True once `pid` no longer runs (gone, or a zombie nobody has reaped yet). */
async function processEnds(pid: number): Promise<boolean> {
  return eventually(async () => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    return stat === undefined || /^\d+ \(.*\) [ZX] /.test(stat);
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}
