// The example providers shipped in providers/, each end to end through a real berth run: sshfs
// mounts a directory from a real sshd in a network namespace, docker-volume creates named volumes
// with a driver's options, address-pool hands out stable addresses and never one twice.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { berth, REPO_ROOT, type BerthResult } from '../helpers/berth.js';
import { BASE_IMAGE, Cleanup, docker, dockerOk, engineSkip, ensureBaseImage, testPrefix } from '../helpers/engine.js';
import { docAddress6, docSubnet6, NetLab, netnsSkip } from '../helpers/netns.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

const PROVIDERS = join(REPO_ROOT, 'providers');

describe('the example providers', { skip: (await engineSkip()) || (await netnsSkip()), timeout: 300_000 }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  let dir = '';
  let count = 0;
  const unique = (what: string) => `${prefix}-${what}${count++}`;

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-providers-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  });
  after(() => cleanup.run());

  /** Builds an image whose Dockerfile holds `statements` after its FROM. */
  async function image(statements: string): Promise<string> {
    const tag = cleanup.image(`${unique('img')}:1`);
    const context = join(dir, unique('ctx'));
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), `FROM ${BASE_IMAGE}\n${statements}\n`);
    const built = await berth(['build', '-q', '-t', tag, context]);
    assert.equal(built.exitCode, 0, built.stderr);
    return tag;
  }

  async function hostFile(config: Record<string, unknown>): Promise<string> {
    const path = join(dir, `${unique('host')}.yaml`);
    await writeFile(path, stringify(config));
    return path;
  }

  function ran(result: BerthResult): string {
    assert.equal(result.exitCode, 0, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result.stdout;
  }

  it('each refuses arguments it does not understand with exit 2 and its own message, making nothing', async () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['docker-volume', ['--bogus', 'x', 'volume', 'v'], /^docker-volume: unknown option '--bogus'$/m],
      ['docker-volume', ['--name', 'a/b', 'volume', 'v'], /^docker-volume: 'a\/b' is not a volume name$/m],
      ['docker-volume', ['network', 'v'], /^docker-volume: expected 'volume NAME' at the end/m],
      ['sshfs', ['--mount-point', '/mnt/x', 'volume', 'v'], /^sshfs provider: --remote \[USER@\]HOST:DIR is required$/m],
      ['sshfs', ['--remote', 'h:/d', '--mount-point', 'rel', 'volume', 'v'], /^sshfs provider: --mount-point must be an absolute path/m],
      ['address-pool', ['--network', 'n', '--range', '2001:db8::9-2001:db8::1', '--state', join(dir, 'never.json'), 'address', 'a'], /^address-pool: --range starts after it ends/m],
      ['address-pool', ['--network', 'n', '--range', '2001:db8::1-192.0.2.9', '--state', join(dir, 'never.json'), 'address', 'a'], /^address-pool: --range must be FIRST-LAST of one family/m],
      ['address-pool', ['--network', 'n', '--state', join(dir, 'never.json'), 'address', 'a'], /^address-pool: --range is required$/m],
    ];
    for (const [provider, args, message] of cases) {
      const result = await execa(join(PROVIDERS, provider), args, { reject: false, cwd: '/' });
      assert.equal(result.exitCode, 2, `${provider} ${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    assert.equal(existsSync(join(dir, 'never.json')), false, 'address-pool wrote no state');
  });

  describe('docker-volume', () => {
    it('creates the volume a host file names, with the driver options given, and berth mounts it', async () => {
      const tag = await image('NEED volume scratch /scratch');
      const volume = cleanup.volume(unique('vol'));
      const host = await hostFile({
        volumes: {
          scratch: {
            volume,
            provider: [join(PROVIDERS, 'docker-volume'), '--name', volume, '--driver', 'local', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=4m'],
          },
        },
      });
      const out = ran(await berth(['run', '--host-config', host, '--rm', tag, 'sh', '-c', 'echo kept > /scratch/f && grep " /scratch " /proc/mounts']));
      assert.match(out, /^tmpfs \/scratch tmpfs /m);
      const options = JSON.parse(await dockerOk(['volume', 'inspect', volume, '--format', '{{json .Options}}'])) as Record<string, string>;
      assert.deepEqual(options, { type: 'tmpfs', device: 'tmpfs', o: 'size=4m' });
      // The second run finds the volume and leaves it as it is.
      ran(await berth(['run', '--host-config', host, '--rm', tag, 'true']));
    });

    it('as providers.volume, gives a name the host file does not declare a volume of its own', async () => {
      const tag = await image('NEED volume undeclared /data');
      const volumePrefix = `${unique('auto')}-`;
      cleanup.volume(`${volumePrefix}undeclared`);
      const host = await hostFile({ providers: { volume: [join(PROVIDERS, 'docker-volume'), '--prefix', volumePrefix] } });
      ran(await berth(['run', '--host-config', host, '--rm', tag, 'sh', '-c', 'echo hello > /data/greeting']));
      const again = ran(await berth(['run', '--host-config', host, '--rm', tag, 'cat', '/data/greeting']));
      assert.equal(again, 'hello\n');
      assert.equal((await docker(['volume', 'inspect', `${volumePrefix}undeclared`])).exitCode, 0);
    });
  });

  describe('address-pool', () => {
    async function pool(): Promise<{ network: string; subnet: string; host: string; state: string }> {
      const network = cleanup.network(unique('net'));
      const subnet = docSubnet6();
      const state = join(dir, `${unique('pool')}.json`);
      const host = await hostFile({
        networks: { [network]: { subnet6: subnet } },
        providers: {
          address: [join(PROVIDERS, 'address-pool'), '--network', network, '--range', `${docAddress6(subnet, 0x100)}-${docAddress6(subnet, 0x1ff)}`, '--state', state],
        },
      });
      return { network, subnet, host, state };
    }

    const addressOf = (out: string) => /inet6 (2001:db8:\S+)\/112/.exec(out)?.[1];

    it('gives a name the host file never declared the next free address, the same one on every run', async () => {
      const { subnet, host, state } = await pool();
      const web = await image('ADDRESS web');
      const api = await image('ADDRESS api');
      const first = addressOf(ran(await berth(['run', '--host-config', host, '--rm', web, 'ip', '-6', 'addr', 'show', 'eth0'])));
      const other = addressOf(ran(await berth(['run', '--host-config', host, '--rm', api, 'ip', '-6', 'addr', 'show', 'eth0'])));
      const again = addressOf(ran(await berth(['run', '--host-config', host, '--rm', web, 'ip', '-6', 'addr', 'show', 'eth0'])));
      assert.equal(first, docAddress6(subnet, 0x100));
      assert.equal(other, docAddress6(subnet, 0x101));
      assert.equal(again, first);
      assert.deepEqual(JSON.parse(await readFile(state, 'utf8')), { web: first, api: other });
    });

    it('never hands one address to two runs that start at the same time', async () => {
      const { host, state } = await pool();
      const names = ['n0', 'n1', 'n2', 'n3'];
      const tags = await Promise.all(names.map((name) => image(`ADDRESS ${name}`)));
      const outs = await Promise.all(tags.map((tag) => berth(['run', '--host-config', host, '--rm', tag, 'ip', '-6', 'addr', 'show', 'eth0'])));
      const addresses = outs.map((out) => addressOf(ran(out)));
      assert.equal(new Set(addresses).size, names.length, addresses.join(' '));
      const assigned = JSON.parse(await readFile(state, 'utf8')) as Record<string, string>;
      assert.deepEqual(Object.keys(assigned).sort(), names);
      assert.deepEqual(names.map((name) => assigned[name]), addresses);
    });

    it('refuses the run with its reason when the range is used up, and makes nothing', async () => {
      const { network, subnet, state } = await pool();
      const full = await hostFile({
        networks: { [network]: { subnet6: subnet } },
        providers: { address: [join(PROVIDERS, 'address-pool'), '--network', network, '--range', `${docAddress6(subnet, 0x100)}-${docAddress6(subnet, 0x100)}`, '--state', state] },
      });
      await writeFile(state, JSON.stringify({ other: docAddress6(subnet, 0x100) }));
      const result = await berth(['run', '--host-config', full, '--rm', await image('ADDRESS late'), 'true']);
      assert.equal(result.exitCode, 125, result.stderr);
      assert.match(result.stderr, /address-pool: every address of \S+ is assigned/);
      assert.notEqual((await docker(['network', 'inspect', network])).exitCode, 0, 'the network was not created');
    });
  });

  describe('sshfs', () => {
    const lab = new NetLab();
    let sshd: Sshd | undefined;
    let mountPoint = '';

    before(async () => {
      sshd = await startSshd(lab, join(dir, 'sshd'));
      mountPoint = join(dir, 'mnt', 'nas');
      await mkdir(join(dir, 'export', 'webpages'), { recursive: true });
      await writeFile(join(dir, 'export', 'webpages', 'index.html'), 'served over sshfs\n');
    });
    after(async () => {
      await execa('umount', [mountPoint], { reject: false });
      await sshd?.stop();
      await lab.cleanup();
    });

    it('mounts the remote directory from a real sshd when the volume is missing, and berth mounts it', async () => {
      assert.ok(sshd);
      const tag = await image('NEED volume webpages /www ro');
      const host = await hostFile({
        volumes: {
          webpages: {
            source: join(mountPoint, 'webpages'),
            provider: [
              join(PROVIDERS, 'sshfs'), '--remote', `root@[${sshd.address}]:${join(dir, 'export')}`, '--mount-point', mountPoint,
              '--identity', sshd.identity, '--known-hosts', sshd.knownHosts,
            ],
          },
        },
      });
      const out = ran(await berth(['run', '--host-config', host, '--rm', tag, 'cat', '/www/index.html']));
      assert.equal(out, 'served over sshfs\n');
      const mounts = await readFile('/proc/self/mounts', 'utf8');
      assert.match(mounts, new RegExp(`^\\S+ ${mountPoint} fuse\\.sshfs `, 'm'));
      // Mounted now: the next run needs no provider and sees what the server has.
      await writeFile(join(dir, 'export', 'webpages', 'new.html'), 'added on the server\n');
      assert.equal(ran(await berth(['run', '--host-config', host, '--rm', tag, 'cat', '/www/new.html'])), 'added on the server\n');
    });

    it('leaves the need unmet with ssh\'s own words when the server refuses the key', async () => {
      assert.ok(sshd);
      const tag = await image('NEED volume other /data');
      const stranger = join(dir, 'stranger');
      await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
      const otherMount = join(dir, 'mnt', 'refused');
      const host = await hostFile({
        volumes: {
          other: {
            source: join(otherMount, 'other'),
            provider: [join(PROVIDERS, 'sshfs'), '--remote', `root@[${sshd.address}]:${dir}`, '--mount-point', otherMount, '--identity', stranger, '--known-hosts', sshd.knownHosts],
          },
        },
      });
      const result = await berth(['run', '--host-config', host, '--rm', tag, 'true']);
      assert.equal(result.exitCode, 125, result.stderr);
      assert.match(result.stderr, /could not mount root@\[/);
      const mounts = await readFile('/proc/self/mounts', 'utf8');
      assert.ok(!mounts.includes(otherMount), 'nothing is mounted');
    });
  });
});
