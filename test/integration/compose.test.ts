// berth compose on the real engine, in the NDP proxy scenario of ndp.test.ts: an upstream router
// (a network namespace at the far end of a veth pair) has the /64 on-link; the services' network
// is a /112 inside it, reachable from the router only through the proxy entries berth adds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { berth, STACK_FRAME } from '../helpers/berth.js';
import { BASE_IMAGE, Cleanup, docker, dockerOk, engineSkip, ensureBaseImage, testPrefix } from '../helpers/engine.js';
import { ip, NetLab, netnsSkip, type VethPair } from '../helpers/netns.js';
import { skipFor } from '../helpers/skip.js';

const composeMissing = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0 ? undefined : 'docker-compose is not installed (test/engine/ensure-engine.sh installs it)';
const skip = (await engineSkip()) || (await netnsSkip()) || skipFor(composeMissing);

describe('berth compose on the engine, behind an NDP proxy', { skip }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const lab = new NetLab();
  const network = cleanup.network(`${prefix}-pub`);
  const api = cleanup.image(`${prefix}-api:1`);
  const web = cleanup.image(`${prefix}_web`);
  let dir = '';
  let project = '';
  let hostFile = '';
  let router = '';
  let uplink: VethPair | undefined;
  let link = '';

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-compose-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    cleanup.defer(async () => {
      await docker(['rm', '-f', ...(await dockerOk(['ps', '-aq', '--filter', `label=com.docker.compose.project=${prefix}`])).split('\n').filter((id) => id !== '')]);
    });
    ({ router, uplink, link } = await lab.upstreamRouter());
    await lab.sysctl(`net.ipv6.conf.${uplink.host}.proxy_ndp`, '1');

    for (const name of ['web', 'api']) {
      await mkdir(join(dir, `${name}-www`));
      await writeFile(join(dir, `${name}-www`, 'index.html'), `${name} of ${prefix}\n`);
    }
    hostFile = join(dir, 'host.yaml');
    await writeFile(hostFile, stringify({
      networks: { [network]: { subnet6: `${link}::8888:0/112`, 'ndp-proxy': uplink.host } },
      addresses: { web: { network, ipv6: `${link}::8888:20` }, api: { network, ipv6: `${link}::8888:21` } },
      volumes: { webpages: { source: join(dir, 'web-www') }, apipages: { source: join(dir, 'api-www') } },
    }));
    // The prebuilt service: a berth image.
    await mkdir(join(dir, 'api'));
    await writeFile(join(dir, 'api', 'Dockerfile'), `FROM ${BASE_IMAGE}\nADDRESS api\nNEED volume apipages /www ro\nCMD ["httpd", "-f", "-h", "/www"]\n`);
    const built = await berth(['build', '-q', '-t', api, join(dir, 'api')]);
    assert.equal(built.exitCode, 0, built.stderr);
    // The project: one extended Dockerfile that compose up --build must build through berth.
    project = join(dir, 'project');
    await mkdir(join(project, 'web'), { recursive: true });
    await writeFile(join(project, 'web', 'Dockerfile'), `FROM ${BASE_IMAGE}\nADDRESS web\nNEED volume webpages /www\nCMD ["httpd", "-f", "-h", "/www"]\n`);
    await writeFile(join(project, 'compose.yaml'), stringify({ services: { web: { build: './web' }, api: { image: api } } }));
  });
  after(async () => {
    await cleanup.run();
    await lab.cleanup();
  });

  const compose = (args: readonly string[], file = 'compose.yaml') => berth(['compose', '--host-config', hostFile, '-p', prefix, '-f', file, ...args], { cwd: project, timeoutMs: 180_000 });
  const projectContainers = async () => (await dockerOk(['ps', '-aq', '--filter', `label=com.docker.compose.project=${prefix}`])).split('\n').filter((id) => id !== '');

  it('an unmet need in one service starts no service, creates nothing, and lists it', async () => {
    await writeFile(join(project, 'unmet.yaml'), stringify({ services: { api: { image: api }, stray: { image: api, 'x-berth': { bind: { api: 'nowhere', apipages: 'gone' } } } } }));
    const refused = await compose(['up', '-d'], 'unmet.yaml');
    assert.equal(refused.exitCode, 125, refused.stderr);
    assert.match(refused.stderr, /^berth: cannot start the project: 1 service has needs that are not met; nothing was created\n/);
    assert.match(refused.stderr, /service stray \(.*\): 2 needs are not met\n.*address nowhere: .*\n.*fix: .*\n.*volume gone: /);
    assert.doesNotMatch(refused.stderr, STACK_FRAME);
    assert.deepEqual(await projectContainers(), []);
    assert.notEqual((await docker(['network', 'inspect', network])).exitCode, 0, `${network} was created`);
    assert.deepEqual(await proxies(), []);
  });

  it("compose's own errors come through unchanged, with compose's exit status", async () => {
    await writeFile(join(project, 'broken.yaml'), 'services:\n  web: [unclosed\n');
    const direct = spawnSync('docker-compose', ['-p', prefix, '-f', 'broken.yaml', 'config'], { cwd: project, encoding: 'utf8' });
    const through = await compose(['up', '-d'], 'broken.yaml');
    assert.notEqual(direct.status, 0);
    assert.equal(through.exitCode, direct.status);
    assert.equal(through.stderr, direct.stderr);
  });

  it('compose failing before it made a container: its status, and berth takes back the network and proxy entry it made', async () => {
    await writeFile(join(project, 'ghost.yaml'), stringify({
      services: { api: { image: api, networks: { [`${prefix}-ghost`]: {} } } },
      networks: { [`${prefix}-ghost`]: { external: true } },
    }));
    const failed = await compose(['up', '-d'], 'ghost.yaml');
    assert.equal(failed.exitCode, 1, failed.stderr);
    assert.deepEqual(await projectContainers(), []);
    assert.notEqual((await docker(['network', 'inspect', network])).exitCode, 0, `${network} was left behind`);
    assert.deepEqual(await proxies(), []);
  });

  it('--dry-run shows each service\'s resolution and creates nothing', async () => {
    const dry = await compose(['--dry-run', 'up', '-d']);
    // web is not built yet: a dry run builds nothing, so it says so.
    assert.equal(dry.exitCode, 125, dry.stderr);
    assert.match(dry.stderr, /service web: image .*_web is not available locally/);
    assert.deepEqual(await projectContainers(), []);
  });

  it('build: berth builds the extended Dockerfile, compose builds the plain one', async () => {
    const plain = cleanup.image(`${prefix}_plain`);
    await mkdir(join(project, 'plain'), { recursive: true });
    await writeFile(join(project, 'plain', 'Dockerfile'), `FROM ${BASE_IMAGE}\nLABEL built.by=compose\n`);
    await writeFile(join(project, 'build.yaml'), stringify({ services: { web: { build: './web' }, plain: { build: './plain' } } }));
    const built = await compose(['build', '--no-cache'], 'build.yaml');
    assert.equal(built.exitCode, 0, built.stderr);
    const labelsOf = async (image: string) => JSON.parse(await dockerOk(['image', 'inspect', '--format', '{{json .Config.Labels}}', image])) as Record<string, string>;
    assert.equal((await labelsOf(web))['berth.need.volume.webpages'], '["volume","webpages","/www"]');
    assert.equal((await labelsOf(plain))['built.by'], 'compose');
    assert.deepEqual(await projectContainers(), []);
  });

  it('up --build builds the extended Dockerfile, starts both services at their addresses, reachable through the proxy; down leaves nothing', async () => {
    assert.ok(uplink);
    const up = await compose(['up', '-d', '--build']);
    assert.equal(up.exitCode, 0, up.stderr);
    const labels = JSON.parse(await dockerOk(['image', 'inspect', '--format', '{{json .Config.Labels}}', web])) as Record<string, string>;
    assert.equal(labels['berth.need.address.web'], '["address","web"]');
    assert.equal((await projectContainers()).length, 2);
    assert.deepEqual((await proxies()).sort(), [`${link}::8888:20`, `${link}::8888:21`]);
    for (const [name, address] of [['web', `${link}::8888:20`], ['api', `${link}::8888:21`]] as const) {
      const fetched = await lab.fetchPageWithRetries(router, address, 5);
      assert.equal(fetched.stdout, `${name} of ${prefix}`, fetched.stderr);
    }
    // The containers carry berth run's record: ps sees them, reconcile puts a lost entry back.
    const listed = await berth(['ps', '--json', '--host-config', hostFile]);
    assert.equal(listed.exitCode, 0, listed.stderr);
    const rows = (JSON.parse(listed.stdout) as { name: string; trusted: boolean; needs: { kind: string; name: string; ipv6?: string; proxyPresent?: boolean }[] }[]).filter((row) => row.name.startsWith(prefix));
    assert.deepEqual(rows.map((row) => [row.name, row.trusted, row.needs.find((n) => n.kind === 'address')?.ipv6, row.needs.find((n) => n.kind === 'address')?.proxyPresent]).sort(), [
      [`${prefix}_api_1`, true, `${link}::8888:21`, true],
      [`${prefix}_web_1`, true, `${link}::8888:20`, true],
    ]);
    assert.equal((await ip(['-6', 'neigh', 'del', 'proxy', `${link}::8888:21`, 'dev', uplink.host])).exitCode, 0);
    const reconciled = await berth(['reconcile', '--host-config', hostFile]);
    assert.equal(reconciled.exitCode, 0, reconciled.stderr);
    assert.match(reconciled.stdout, new RegExp(`^added NDP proxy entry ${link}::8888:21 on ${uplink.host} \\(for ${prefix}_api_1\\)$`, 'm'));
    assert.deepEqual((await proxies()).sort(), [`${link}::8888:20`, `${link}::8888:21`]);

    const config = await compose(['config']);
    assert.equal(config.exitCode, 0, config.stderr);
    assert.match(config.stdout, new RegExp(`ipv6_address: ${link}::8888:20`));

    const down = await compose(['down']);
    assert.equal(down.exitCode, 0, down.stderr);
    assert.match(down.stderr, new RegExp(`^berth: released NDP proxy entry ${link}::8888:20 on ${uplink.host}$`, 'm'));
    assert.match(down.stderr, new RegExp(`^berth: removed network ${network}$`, 'm'));
    assert.deepEqual(await projectContainers(), []);
    assert.notEqual((await docker(['network', 'inspect', network])).exitCode, 0, `${network} is still there`);
    assert.deepEqual(await proxies(), []);
  });

  it("a service's own address on a need's network is refused; --allow-override lets it win", async () => {
    await writeFile(join(project, 'own.yaml'), stringify({
      services: { api: { image: api, networks: { [network]: { ipv6_address: `${link}::8888:99` } } } },
      networks: { [network]: { external: true } },
    }));
    const refused = await compose(['--dry-run', 'up', '-d'], 'own.yaml');
    assert.equal(refused.exitCode, 125, refused.stderr);
    assert.match(refused.stderr, new RegExp(`service api \\(.*\\): its own settings contradict its needs:\nberth: {5}networks: ${network}: ipv6_address: ${link}::8888:99 contradicts address ${link}::8888:21`));
    const allowed = await compose(['--dry-run', '--allow-override', 'up', '-d'], 'own.yaml');
    assert.equal(allowed.exitCode, 0, allowed.stderr);
    assert.match(allowed.stdout, new RegExp(`ipv6_address: ${link}::8888:99\n`));
    assert.doesNotMatch(allowed.stdout, /ip -6 neigh replace proxy/);
  });

  it('x-berth bind meets a need with another host entry; two services needing one address are refused', async () => {
    await writeFile(join(project, 'bind.yaml'), stringify({ services: { api: { image: api }, 'api-b': { image: api, 'x-berth': { bind: { api: 'web' } } } } }));
    const dry = await compose(['--dry-run', 'up', '-d'], 'bind.yaml');
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`^service api-b \\(${api}\\):\n  NEED +RESOLVED TO\n  address web +${link}::8888:20 on network ${network}\n`, 'm'));
    assert.match(dry.stdout, new RegExp(`^ip -6 neigh replace proxy ${link}::8888:21 dev `, 'm'));
    assert.match(dry.stdout, /^docker-compose -p .* -f OVERRIDE up -d$/m);
    await writeFile(join(project, 'twice.yaml'), stringify({ services: { api: { image: api }, 'api-b': { image: api } } }));
    const twice = await compose(['--dry-run', 'up', '-d'], 'twice.yaml');
    assert.equal(twice.exitCode, 125, twice.stderr);
    assert.match(twice.stderr, new RegExp(`services api and api-b both need ${link}::8888:21 on network ${network}`));
    assert.deepEqual(await projectContainers(), []);
  });

  it("a volume's provider: shown by --dry-run, run by up as berth run runs it", async () => {
    const made = join(dir, 'made-by-provider');
    const provider = join(dir, 'make-pages');
    await writeFile(provider, `#!/bin/sh\nmkdir -p ${made} && echo "made for $2" > ${made}/index.html\n`, { mode: 0o755 });
    const withProvider = join(dir, 'host-provider.yaml');
    await writeFile(withProvider, stringify({
      networks: { [network]: { subnet6: `${link}::8888:0/112` } },
      addresses: { api: { network, ipv6: `${link}::8888:21` } },
      volumes: { apipages: { source: made, provider: [provider] } },
    }));
    await writeFile(join(project, 'provided.yaml'), stringify({ services: { api: { image: api } } }));
    const run = (args: readonly string[]) => berth(['compose', '--host-config', withProvider, '-p', prefix, '-f', 'provided.yaml', ...args], { cwd: project, timeoutMs: 180_000 });
    const dry = await run(['--dry-run', 'up', '-d']);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`volume apipages +NOT MET: .*\\(provider would run: ${provider} volume apipages\\)`));
    assert.match(dry.stdout, /\n\nthe override and the commands depend on what the providers make available\n$/);
    assert.equal(existsSync(made), false, 'a dry run ran the provider');
    const up = await run(['up', '-d']);
    assert.equal(up.exitCode, 0, up.stderr);
    const [id = ''] = await projectContainers();
    assert.equal(await dockerOk(['container', 'inspect', '--format', '{{range .Mounts}}{{.Source}} {{.Destination}} {{.RW}}{{end}}', id]), `${made} /www false`);
    assert.equal((await run(['down'])).exitCode, 0);
    assert.deepEqual(await projectContainers(), []);
  });

  async function proxies(): Promise<string[]> {
    assert.ok(uplink);
    const shown = await ip(['-6', 'neigh', 'show', 'proxy', 'dev', uplink.host]);
    assert.equal(shown.exitCode, 0, shown.stderr);
    return shown.stdout.split('\n').map((line) => line.trim().split(' ')[0] ?? '').filter((address) => address !== '');
  }
});
