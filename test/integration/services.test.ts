// Services that live, as an operator runs them: twenty containers of one image (each bound to its
// own address with --bind) on a host whose /112 the upstream router reaches only through NDP
// proxy entries (the set-up of ndp.test.ts). A reboot is simulated by deleting the entries and
// restarting the containers; berth reconcile, and a running berth reconcile --watch, must make
// every service reachable from the router again. Then ps, rm, a stopped holder, drift, a volume
// a provider makes, and the bad input that must change nothing.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { berth, BERTH_BIN, REPO_ROOT, STACK_FRAME } from '../helpers/berth.js';
import { Cleanup, docker, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix } from '../helpers/engine.js';
import { ip, NetLab, netnsSkip, type VethPair } from '../helpers/netns.js';

const skip = (await engineSkip()) || (await netnsSkip());
const SERVICES = 20;

describe('services that live through reboots, upgrades and removal', { skip, timeout: 600_000 }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const lab = new NetLab();
  const web = cleanup.image(`${prefix}-web:1`);
  const network = `${prefix}-pub`;
  let dir = '';
  let router = '';
  let uplink: VethPair | undefined;
  let link = '';
  let hostPath = '';
  let pages = '';
  const names = Array.from({ length: SERVICES }, (_, i) => `${prefix}-s${i + 1}`);
  const address = (i: number) => `${link}::8888:${(0x100 + i).toString(16)}`;
  const hostEntries = () => ({
    networks: { [network]: { subnet6: `${link}::8888:0/112`, 'ndp-proxy': uplink?.host } },
    addresses: Object.fromEntries(names.map((_, i) => [`web-${i + 1}`, { network, ipv6: address(i + 1) }])),
    volumes: { webpages: { source: pages, provider: [join(REPO_ROOT, 'fixtures/providers/make-dir'), dir] } },
  });

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-services-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const built = await berth(['build', '-q', '-t', web, join(REPO_ROOT, 'fixtures/web')]);
    assert.equal(built.exitCode, 0, built.stderr);

    ({ router, uplink, link } = await lab.upstreamRouter());
    await lab.sysctl(`net.ipv6.conf.${uplink.host}.proxy_ndp`, '1');

    // make-dir BASE volume webpages makes BASE/webpages: the provider can make the pages folder again.
    pages = join(dir, 'webpages');
    await writePage();
    hostPath = join(dir, 'host.yaml');
    await writeFile(hostPath, stringify(hostEntries()));
    for (const [i, name] of names.entries()) {
      cleanup.container(name);
      const started = await berth(['run', '--host-config', hostPath, '-d', '--restart', 'unless-stopped', '--name', name, '--bind', `webserver=web-${i + 1}`, web]);
      assert.equal(started.exitCode, 0, started.stderr);
    }
  });
  after(async () => {
    await cleanup.run();
    await lab.cleanup();
  });

  async function writePage(): Promise<void> {
    await mkdir(pages, { recursive: true });
    await writeFile(join(pages, 'index.html'), `served by ${prefix}\n`);
  }


  /** Every service answers the router with the page. */
  async function assertAllServe(count = SERVICES): Promise<void> {
    const fetched = await Promise.all(names.slice(0, count).map((_, i) => lab.fetchPageWithRetries(router, address(i + 1), 8)));
    const failed = fetched.flatMap((result, i) => (result.stdout === `served by ${prefix}` ? [] : [`${names[i]}: ${result.stderr}`]));
    assert.deepEqual(failed, []);
  }

  const proxies = async () => {
    const shown = await ip(['-6', 'neigh', 'show', 'proxy', 'dev', uplink?.host ?? '']);
    return shown.stdout.split('\n').map((line) => line.trim().split(' ')[0] ?? '').filter((a) => a !== '').sort();
  };
  const allAddresses = () => names.map((_, i) => address(i + 1)).sort();

  /** What the host looks like after a reboot: no proxy entries, the containers started again by the engine. */
  async function reboot(): Promise<void> {
    for (const entry of await proxies()) await ip(['-6', 'neigh', 'del', 'proxy', entry, 'dev', uplink?.host ?? '']);
    await ip(['-n', router, '-6', 'neigh', 'flush', 'dev', uplink?.peer ?? '']);
    await dockerOk(['restart', '--time', '0', ...names]);
  }

  it('records what each container holds, shown by berth ps and ps --json', async () => {
    assert.deepEqual(await proxies(), allAddresses());
    const listed = await berth(['ps', '--json', '--host-config', hostPath]);
    assert.equal(listed.exitCode, 0, listed.stderr);
    const rows = (JSON.parse(listed.stdout) as { name: string; state: string; needs: { kind: string; name: string; host?: string; ipv6?: string; proxyPresent?: boolean; source?: string }[]; drift: unknown[]; trusted: boolean }[])
      .filter((row) => row.name.startsWith(prefix));
    assert.equal(rows.length, SERVICES);
    const first = rows.find((row) => row.name === names[0]);
    assert.equal(first?.state, 'running');
    assert.equal(first?.trusted, true);
    assert.deepEqual(first?.drift, []);
    assert.deepEqual(first?.needs, [
      { kind: 'address', name: 'webserver', host: 'web-1', network, ipv6: address(1), ndpProxy: uplink?.host, proxyPresent: true },
      { kind: 'volume', name: 'webpages', host: 'webpages', source: pages },
    ]);
    const table = await berth(['ps', '--host-config', hostPath]);
    assert.match(table.stdout, new RegExp(`^${names[1]} +running +${web} +address webserver→web-2: ${address(2)} on ${network}, volume webpages: ${pages} +ok +-$`, 'm'));
    await assertAllServe(3);
  });

  it('after a reboot, berth reconcile puts every proxy entry back and every service answers the router again', async () => {
    await reboot();
    assert.deepEqual(await proxies(), []);
    const unreachable = await lab.fetchPage(router, address(1), 4);
    assert.notEqual(unreachable.exitCode, 0, 'reachable without its proxy entry');
    const doctor = await berth(['doctor', '--host-config', hostPath]);
    assert.match(doctor.stdout, /^✗ proxy entries +20 out of line$/m);

    const dry = await berth(['reconcile', '--dry-run', '--host-config', hostPath]);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.equal(dry.stdout.split('\n').filter((line) => line.startsWith('would add NDP proxy entry')).length, SERVICES);
    assert.deepEqual(await proxies(), [], 'a dry run changed the host');

    const reconciled = await berth(['reconcile', '--host-config', hostPath]);
    assert.equal(reconciled.exitCode, 0, reconciled.stderr);
    assert.match(reconciled.stdout, new RegExp(`^added NDP proxy entry ${address(1)} on ${uplink?.host} \\(for ${names[0]}\\)$`, 'm'));
    assert.deepEqual(await proxies(), allAddresses());
    await assertAllServe();
    const again = await berth(['reconcile', '--host-config', hostPath]);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(again.stdout, 'in line: nothing to change\n');
  });

  it('after a reboot, a running berth reconcile --watch restores the entries as the containers start', async () => {
    const watcher = execa(process.execPath, [BERTH_BIN, 'reconcile', '--watch', '--host-config', hostPath], { reject: false });
    let printed = '';
    watcher.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    try {
      // Its first pass finds the host in line; then it follows the engine's events.
      await waitFor(async () => printed.includes('in line: nothing to change'));
      await reboot();
      await waitFor(async () => (await proxies()).length === SERVICES);
      assert.deepEqual(await proxies(), allAddresses());
      await assertAllServe();
    } finally {
      watcher.kill('SIGTERM');
    }
    const ended = await watcher;
    assert.equal(ended.exitCode, 0, ended.stderr);
    assert.match(ended.stdout, /added NDP proxy entry/);
    assert.doesNotMatch(ended.stderr, STACK_FRAME);
  });

  it('re-makes a provider-made source that is gone, so the engine can start the container again', async () => {
    const name = names[SERVICES - 1] ?? '';
    await dockerOk(['stop', '--time', '0', name]);
    await rm(pages, { recursive: true, force: true });
    const refused = await docker(['start', name]);
    assert.notEqual(refused.exitCode, 0, 'started without its bind source');
    const reconciled = await berth(['reconcile', '--host-config', hostPath]);
    assert.equal(reconciled.exitCode, 0, reconciled.stderr);
    assert.match(reconciled.stdout, /^ran the provider of volume webpages \(for /m);
    await writePage();
    await dockerOk(['start', name]);
    // The others still have the folder that was removed mounted: they see the new one once restarted.
    await dockerOk(['restart', '--time', '0', ...names.slice(0, -1)]);
    const fetched = await lab.fetchPageWithRetries(router, address(SERVICES), 8);
    assert.equal(fetched.stdout, `served by ${prefix}`, fetched.stderr);
  });

  it('refuses an address a stopped container holds, naming it with berth run --replace and berth rm', async () => {
    const holder = names[1] ?? '';
    await dockerOk(['stop', '--time', '0', holder]);
    const other = cleanup.container(`${prefix}-intruder`);
    const refused = await berth(['run', '--host-config', hostPath, '-d', '--name', other, '--bind', 'webserver=web-2', web]);
    assert.equal(refused.exitCode, 125, refused.stderr);
    assert.match(refused.stderr, new RegExp(`${address(2)} on network ${network} is held by container ${holder} \\(exited`));
    assert.match(refused.stderr, new RegExp(`berth run --replace ${holder} \\.\\.\\., or remove it with berth rm ${holder}`));
    assert.doesNotMatch(refused.stderr, /rm -f/);
    assert.notEqual((await docker(['container', 'inspect', other])).exitCode, 0);
    await dockerOk(['start', holder]);
  });

  it('shows drift from the host file in ps and doctor, and reconcile reports it without acting', async () => {
    const moved = join(dir, 'moved.yaml');
    const entries = hostEntries();
    entries.addresses['web-3'] = { network, ipv6: `${link}::8888:999` };
    await writeFile(moved, stringify(entries));
    // The containers were started with host.yaml: drift is shown for the file they recorded only.
    const elsewhere = await berth(['ps', '--json', '--host-config', moved]);
    assert.ok((JSON.parse(elsewhere.stdout) as { name: string; hostFile: string }[]).filter((r) => r.name.startsWith(prefix)).every((r) => r.hostFile === 'other'));
    await writeFile(hostPath, stringify(entries));
    try {
      const ps = await berth(['ps', '--host-config', hostPath]);
      assert.match(ps.stdout, new RegExp(`^${names[2]}: drift: address web-3 is now ${link}::8888:999 on ${network} in ${hostPath}, the container holds ${address(3)} on ${network}$`, 'm'));
      const doctor = await berth(['doctor', '--host-config', hostPath]);
      assert.equal(doctor.exitCode, 1);
      assert.match(doctor.stdout, /^✗ drift +1 found$/m);
      const reconciled = await berth(['reconcile', '--host-config', hostPath]);
      assert.equal(reconciled.exitCode, 1);
      assert.match(reconciled.stderr, new RegExp(`berth: ${names[2]}: address web-3 is now`));
      assert.ok((await proxies()).includes(address(3)), 'reconcile acted on drift');
    } finally {
      await writeFile(hostPath, stringify(hostEntries()));
    }
  });

  it('berth rm removes a container and releases its proxy entry, and only its own', async () => {
    const name = names[SERVICES - 1] ?? '';
    const removed = await berth(['rm', '-f', '--verbose', '--host-config', hostPath, name]);
    assert.equal(removed.exitCode, 0, removed.stderr);
    assert.equal(removed.stdout, `${name}\n`);
    assert.match(removed.stderr, new RegExp(`^berth: released NDP proxy entry ${address(SERVICES)} on ${uplink?.host}$`, 'm'));
    // --verbose shows each engine command and host change as it is made.
    assert.match(removed.stderr, /^berth: \+ docker rm --force -- [0-9a-f]{64}$/m);
    assert.match(removed.stderr, new RegExp(`^berth: \\+ ip -6 neigh del proxy ${address(SERVICES)} dev ${uplink?.host}$`, 'm'));
    assert.notEqual((await docker(['container', 'inspect', name])).exitCode, 0);
    assert.deepEqual(await proxies(), allAddresses().filter((a) => a !== address(SERVICES)));
  });

  it('upgrades in place with berth run --replace: the page is served before and after, the old container is gone', async () => {
    const name = names[0] ?? '';
    const oldId = (await dockerOk(['container', 'inspect', '--format', '{{.Id}}', name])).trim();
    assert.equal((await lab.fetchPageWithRetries(router, address(1), 8)).stdout, `served by ${prefix}`);
    const args = ['--host-config', hostPath, '-d', '--restart', 'unless-stopped', '--name', name, '--replace', name, '--bind', 'webserver=web-1', web];
    const dry = await berth(['run', '--dry-run', ...args]);
    assert.equal(dry.exitCode, 0, dry.stderr);
    const commands = dry.stdout.split('\n').filter((line) => line.startsWith('docker '));
    assert.match(commands[0] ?? '', new RegExp(`^docker create .* --name ${name}-berth-new -- sha256:`));
    assert.deepEqual(commands.slice(1), [`docker stop ${name}`, "docker start '<container>'", `docker rm --force ${name}`, `docker rename ${name}-berth-new ${name}`]);
    assert.equal((await dockerOk(['container', 'inspect', '--format', '{{.Id}}', name])).trim(), oldId, 'a dry run replaced the container');
    const replaced = await berth(['run', ...args]);
    assert.equal(replaced.exitCode, 0, replaced.stderr);
    const newId = replaced.stdout.trim();
    assert.notEqual(newId, oldId);
    assert.notEqual((await docker(['container', 'inspect', oldId])).exitCode, 0, 'the old container is still there');
    assert.equal((await dockerOk(['container', 'inspect', '--format', '{{.Id}} {{.State.Status}}', name])).trim(), `${newId} running`);
    assert.equal((await lab.fetchPageWithRetries(router, address(1), 8)).stdout, `served by ${prefix}`);
    assert.ok((await proxies()).includes(address(1)), 'the proxy entry went with the old container');
  });

  it('leaves the old container serving when the new one cannot be created or started', async () => {
    const name = names[0] ?? '';
    const inspect = async () => (await dockerOk(['container', 'inspect', '--format', '{{.Id}} {{.State.Status}} {{.State.StartedAt}}', name])).trim();
    const before = await inspect();
    const notCreated = await berth(['run', '--host-config', hostPath, '-d', '--memory=lots', '--name', name, '--replace', name, '--bind', 'webserver=web-1', web]);
    assert.equal(notCreated.exitCode, 125, notCreated.stderr);
    assert.equal(await inspect(), before, 'the old container was touched');

    const notStarted = await berth(['run', '--host-config', hostPath, '-d', '--name', name, '--replace', name, '--bind', 'webserver=web-1', web, '/no/such/program']);
    assert.equal(notStarted.exitCode, 125, notStarted.stderr);
    assert.match(notStarted.stderr, new RegExp(`cannot start the new container for ${web}: .*it was removed and ${name} was started again`));
    assert.equal((await inspect()).split(' ').slice(0, 2).join(' '), before.split(' ').slice(0, 2).join(' '));
    assert.equal((await lab.fetchPageWithRetries(router, address(1), 8)).stdout, `served by ${prefix}`);
    const leftover = await dockerOk(['ps', '-a', '--filter', `name=${name}-berth-`, '--format', '{{.Names}}']);
    assert.equal(leftover.trim(), '');
  });

  it('refuses bad input to rm and changes nothing', async () => {
    const plain = cleanup.container(`${prefix}-plain`);
    await dockerOk(['create', '--name', plain, web]);
    const forged = cleanup.container(`${prefix}-forged`);
    await dockerOk(['create', '--name', forged, '--label', 'berth.run.schema=1', '--label', `berth.run.host-file=${hostPath}`, '--label', 'berth.run.address.webserver={"host":"web-1"', web]);
    const before = await proxies();
    const cases: [string[], RegExp][] = [
      [[`${prefix}-absent`], new RegExp(`^berth: no such container: ${prefix}-absent$`, 'm')],
      [[plain], /carries no berth\.run labels: berth did not start it; nothing was removed/],
      [[forged], /label berth\.run\.address\.webserver value .* is not a JSON object of strings; nothing was removed/],
      [[names[0] ?? '', `${prefix}-absent`], /no such container/],
      [[names[0] ?? ''], /is running; nothing was removed \(stop it first, or use berth rm -f\)/],
    ];
    for (const [args, message] of cases) {
      const refused = await berth(['rm', '--host-config', hostPath, ...args]);
      assert.equal(refused.exitCode, 1, refused.stderr);
      assert.match(refused.stderr, message);
      assert.doesNotMatch(refused.stderr, STACK_FRAME);
      assert.equal(refused.stdout, '');
    }
    for (const name of [plain, forged, names[0] ?? '']) assert.equal((await docker(['container', 'inspect', name])).exitCode, 0, `${name} was removed`);
    assert.deepEqual(await proxies(), before);
    // reconcile and doctor name the forged one and leave it alone.
    const reconciled = await berth(['reconcile', '--host-config', hostPath]);
    assert.equal(reconciled.exitCode, 1);
    assert.match(reconciled.stderr, new RegExp(`berth: ${forged}: its berth labels cannot be trusted`));
    await dockerOk(['rm', forged, plain]);
  });

  it('berth rm --networks removes the network once its last container is gone', async () => {
    const rest = names.slice(0, SERVICES - 1);
    const removed = await berth(['rm', '-f', '--networks', '--host-config', hostPath, ...rest]);
    assert.equal(removed.exitCode, 0, removed.stderr);
    assert.equal(removed.stdout, rest.map((name) => `${name}\n`).join(''));
    assert.match(removed.stderr, new RegExp(`^berth: removed network ${network}$`, 'm'));
    assert.notEqual((await docker(['network', 'inspect', network])).exitCode, 0);
    assert.deepEqual(await proxies(), []);
  });

  it('recreates a missing network, and names a stopped container that points at the removed one, with the fix', async () => {
    const name = cleanup.container(`${prefix}-again`);
    const started = await berth(['run', '--host-config', hostPath, '-d', '--restart', 'unless-stopped', '--name', name, '--bind', 'webserver=web-5', web]);
    assert.equal(started.exitCode, 0, started.stderr);
    await dockerOk(['stop', '--time', '0', name]);
    await dockerOk(['network', 'rm', network]);
    const reconciled = await berth(['reconcile', '--host-config', hostPath]);
    assert.equal(reconciled.exitCode, 1, reconciled.stdout + reconciled.stderr);
    assert.match(reconciled.stdout, new RegExp(`^created network ${network} \\(for ${name}\\)$`, 'm'));
    assert.match(reconciled.stderr, new RegExp(`berth: ${name}: it points at a removed network's id for ${network}`));
    const fix = /docker network disconnect --force (\S+) (\S+), then (docker network connect .*)$/m.exec(reconciled.stderr);
    assert.ok(fix, reconciled.stderr);
    assert.notEqual((await docker(['start', name])).exitCode, 0, 'the engine started a container pointing at a removed network');
    await dockerOk(['network', 'disconnect', '--force', fix[1] ?? '', fix[2] ?? '']);
    await dockerOk((fix[3] ?? '').split(' ').slice(1));
    await dockerOk(['start', name]);
    const fetched = await lab.fetchPageWithRetries(router, address(5), 8);
    assert.equal(fetched.stdout, `served by ${prefix}`, fetched.stderr);
    const inLine = await berth(['reconcile', '--host-config', hostPath]);
    assert.equal(inLine.exitCode, 0, inLine.stderr);
    await dockerOk(['rm', '-f', name]);
  });

  it('leaves nothing behind', async () => {
    await cleanup.run();
    await lab.cleanup();
    assert.deepEqual(await leftovers(prefix), []);
    assert.deepEqual(await lab.leftovers(), []);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(200);
  }
}
