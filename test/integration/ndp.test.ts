// The host on a public /64 (docs/architecture.md, "Tests"): an upstream router (a network namespace at the far end of a
// veth pair) has the /64 on-link; the container's network is a /112 inside it, reachable from the
// router only because berth run adds an NDP proxy entry on the host's side of the link. Without
// the entry the router cannot reach the container; without proxy_ndp, berth refuses to start.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { berth, REPO_ROOT, STACK_FRAME } from '../helpers/berth.js';
import { BASE_IMAGE, Cleanup, docker, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix } from '../helpers/engine.js';
import { docSubnet6, ip, NetLab, netnsSkip, type VethPair } from '../helpers/netns.js';

const skip = (await engineSkip()) || (await netnsSkip());

describe('berth run with an NDP proxy towards an upstream router', { skip }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const lab = new NetLab();
  const web = cleanup.image(`${prefix}-web:1`);
  let dir = '';
  let router = '';
  let uplink: VethPair | undefined;
  /** The /64 on the link between host and router, as `2001:db8:x:y` (no `::`). */
  let link = '';

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-ndp-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const built = await berth(['build', '-q', '-t', web, join(REPO_ROOT, 'fixtures/web')]);
    assert.equal(built.exitCode, 0, built.stderr);

    ({ router, uplink, link } = await lab.upstreamRouter());
  });
  after(async () => {
    await cleanup.run();
    await lab.cleanup();
  });

  /** A host file whose network is the /112 `${link}::${block}:0/112`, answering NDP on `iface`. */
  async function hostFile(network: string, block: string, iface: string): Promise<{ path: string; address: string }> {
    const pages = join(dir, `${network}-www`);
    await mkdir(pages);
    await writeFile(join(pages, 'index.html'), `served to the router by ${prefix}\n`);
    const address = `${link}::${block}:20`;
    const path = join(dir, `${network}.yaml`);
    await writeFile(path, stringify({
      networks: { [network]: { subnet6: `${link}::${block}:0/112`, 'ndp-proxy': iface } },
      addresses: { webserver: { network, ipv6: address } },
      volumes: { webpages: { source: pages } },
    }));
    return { path, address };
  }


  it('serves the router through the proxy entry berth adds, and not without it', async () => {
    assert.ok(uplink);
    await lab.sysctl(`net.ipv6.conf.${uplink.host}.proxy_ndp`, '1');
    const network = `${prefix}-public`;
    const { path, address } = await hostFile(network, '8888', uplink.host);
    const container = cleanup.container(`${prefix}-web`);

    const dry = await berth(['run', '--host-config', path, '--dry-run', '-d', '--rm', '--name', container, web]);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.ok(dry.stdout.includes(`\nip -6 neigh replace proxy ${address} dev ${uplink.host}\n`), dry.stdout);
    assert.deepEqual(await proxies(uplink.host), [], 'a dry run added a proxy entry');

    const started = await berth(['run', '--host-config', path, '-d', '--rm', '--name', container, web]);
    assert.equal(started.exitCode, 0, started.stderr);
    assert.deepEqual(await proxies(uplink.host), [address]);

    const page = `served to the router by ${prefix}`;
    const fetched = await lab.fetchPageWithRetries(router, address, 5);
    assert.equal(fetched.stdout, page, fetched.stderr);

    // Take the entry away and make the router forget the neighbour: the container is unreachable.
    await ipOk(['-6', 'neigh', 'del', 'proxy', address, 'dev', uplink.host]);
    await ipOk(['-n', router, '-6', 'neigh', 'flush', 'dev', uplink.peer]);
    const unproxied = await lab.fetchPage(router, address, 8);
    assert.notEqual(unproxied.exitCode, 0, `fetched without the proxy entry: ${unproxied.stdout}`);
    assert.ok(unproxied.exitCode === 124 || /no route to host|can't connect/i.test(unproxied.stderr), unproxied.stderr);
    assert.equal(unproxied.stdout, '');

    // And the entry alone brings it back.
    await ipOk(['-6', 'neigh', 'replace', 'proxy', address, 'dev', uplink.host]);
    const proxiedAgain = await lab.fetchPageWithRetries(router, address, 5);
    assert.equal(proxiedAgain.stdout, page, proxiedAgain.stderr);
    await dockerOk(['rm', '-f', container]);
  });

  it('refuses to start, saying how to turn proxy_ndp on, when the interface has it off', async () => {
    assert.ok(uplink);
    const other = await lab.veth(router);
    await lab.sysctl(`net.ipv6.conf.${other.host}.proxy_ndp`, '0');
    const network = `${prefix}-noproxy`;
    const { path, address } = await hostFile(network, '9999', other.host);

    const containers = () => dockerOk(['ps', '-a', '--filter', `ancestor=${web}`, '--format', '{{.Names}}']);
    const containersBefore = await containers();

    const refused = await berth(['run', '--host-config', path, '-d', '--name', `${prefix}-noproxy`, web]);
    assert.equal(refused.exitCode, 125, refused.stderr);
    assert.ok(refused.stderr.includes(`sysctl -w net.ipv6.conf.${other.host}.proxy_ndp=1`), refused.stderr);
    assert.match(refused.stderr, /address webserver: /);
    assert.doesNotMatch(refused.stderr, STACK_FRAME);
    assert.equal(await containers(), containersBefore);
    assert.notEqual((await docker(['network', 'inspect', network])).exitCode, 0, `${network} was created`);
    assert.deepEqual(await proxies(other.host), []);
    assert.ok(!(await proxies(uplink.host)).includes(address));
  });

  it('takes back the proxy entry, the container and the networks when the container never starts', async () => {
    assert.ok(uplink);
    await lab.sysctl(`net.ipv6.conf.${uplink.host}.proxy_ndp`, '1');
    const network = `${prefix}-failing`;
    const backend = cleanup.network(`${prefix}-backend`);
    const { path, address } = await hostFile(network, '7777', uplink.host);
    const host = `${await readFile(path, 'utf8')}`.replace('networks:\n', `networks:\n  ${backend}:\n    subnet6: ${docSubnet6(112)}\n`);
    await writeFile(path, host);
    // Two networks (so the container is created, connected and then started) and a mount the
    // runtime refuses at start: under /proc.
    const context = join(dir, 'failing');
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), `FROM ${BASE_IMAGE}\nADDRESS webserver\nNEED network ${backend}\nNEED volume webpages /proc/berth-test\nCMD ["httpd", "-f", "-p", "80"]\n`);
    const image = cleanup.image(`${prefix}-failing:1`);
    const built = await berth(['build', '-q', '-t', image, context]);
    assert.equal(built.exitCode, 0, built.stderr);

    const refused = await berth(['run', '--host-config', path, '-d', '--name', `${prefix}-failing`, image]);
    assert.equal(refused.exitCode, 125, refused.stderr);
    // Refused by the engine at start, after berth had made the networks and the entry.
    assert.match(refused.stderr, /berth removed what it had created/);
    assert.doesNotMatch(refused.stderr, STACK_FRAME);
    assert.equal((await dockerOk(['ps', '-a', '--filter', `name=${prefix}-failing`, '--format', '{{.Names}}'])).trim(), '');
    for (const made of [network, backend]) {
      assert.notEqual((await docker(['network', 'inspect', made])).exitCode, 0, `${made} was left behind`);
    }
    assert.ok(!(await proxies(uplink.host)).includes(address), `the proxy entry for ${address} was left behind`);
  });

  it('leaves nothing behind', async () => {
    await cleanup.run();
    await lab.cleanup();
    assert.deepEqual(await leftovers(prefix), []);
    assert.deepEqual(await lab.leftovers(), []);
  });
});

/** The addresses with an NDP proxy entry on `iface`. */
async function proxies(iface: string): Promise<string[]> {
  const shown = await ipOk(['-6', 'neigh', 'show', 'proxy', 'dev', iface]);
  return shown.split('\n').map((line) => line.trim().split(' ')[0] ?? '').filter((address) => address !== '');
}

async function ipOk(args: readonly string[]): Promise<string> {
  const result = await ip(args);
  assert.equal(result.exitCode, 0, `ip ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
