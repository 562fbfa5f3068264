// The npm package as users get it: packed from a copy of this tree by the real `npm pack`
// (prepack builds it), installed globally into a temporary prefix, and run from elsewhere: its
// completion through real bash, its man pages through man, its providers from where npm put them.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { completeWithBash } from '../helpers/bash-completion.js';
import { REPO_ROOT } from '../helpers/berth.js';

// Not copied: what packing must make afresh (dist), or must not see (git, earlier tarballs).
const NOT_COPIED = /^(node_modules|dist|\.git|berth-.*\.tgz)$/;

const PROVIDERS = ['sshfs', 'docker-volume', 'address-pool'];

const EXTENDED = 'FROM berth-test/busybox:1\nADDRESS webserver\nNEED volume webpages /www ro\nCMD ["httpd", "-f", "-h", "/www"]\n';
const PLAIN = 'FROM berth-test/busybox:1\n\n\nCMD ["httpd", "-f", "-h", "/www"]\n';

interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string; readonly mode: number }[];
}

describe('the npm package', { timeout: 60_000 }, () => {
  let dir = '';
  let packed: Packed;
  let berthBin = '';
  let prefix = '';
  // The installed berth finds node through its shebang, as it would on a user's PATH.
  const env = { PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-package-'));
    const tree = join(dir, 'tree');
    await cp(REPO_ROOT, tree, {
      recursive: true,
      filter: (source) => !NOT_COPIED.test(relative(REPO_ROOT, source)),
    });
    await symlink(join(REPO_ROOT, 'node_modules'), join(tree, 'node_modules'));
    const pack = await execa('npm', ['pack', '--json', '--pack-destination', dir], { cwd: tree, timeout: 45_000 });
    [packed] = JSON.parse(pack.stdout) as [Packed];
    prefix = join(dir, 'prefix');
    await execa('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed.filename)], {
      cwd: dir,
      timeout: 45_000,
    });
    berthBin = join(prefix, 'bin', 'berth');
  });

  after(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('holds dist, schema, man pages, providers, package.json, the readme, licence and changelog, and no sources, tests or fixtures', async () => {
    const paths = packed.files.map((file) => file.path);
    const { man } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { man: string[] };
    const needed = [
      'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/cli/bin.cjs', 'dist/index.js', 'dist/index.d.ts',
      'schema/host.schema.json', 'systemd/berth-reconcile.service', ...man, ...PROVIDERS.map((name) => `providers/${name}`),
    ];
    for (const path of needed) assert.ok(paths.includes(path), `${path} is missing from the package`);
    assert.ok(man.includes('dist/man/berth.1') && man.includes('dist/man/berth-run.1'), man.join(' '));
    const stray = paths.filter((path) => !/^(dist|schema|providers|systemd)\//.test(path) && !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(path));
    assert.deepEqual(stray, []);
    const sources = paths.filter((path) => /(^|\/)(src|test|tests|fixtures|bench)\//.test(path) || (/\.ts$/.test(path) && !/\.d\.ts$/.test(path)));
    assert.deepEqual(sources, []);
    for (const name of PROVIDERS) {
      const provider = packed.files.find((file) => file.path === `providers/${name}`);
      assert.equal((provider?.mode ?? 0) & 0o111, 0o111, `providers/${name} is executable`);
    }
  });

  it('ships the bin with a node shebang, executable', async () => {
    const bin = packed.files.find((file) => file.path === 'dist/cli/bin.cjs');
    assert.ok(bin);
    assert.equal(bin.mode & 0o111, 0o111, `mode ${bin.mode.toString(8)}`);
    const installed = await readFile(berthBin, 'utf8');
    assert.match(installed, /^#!\/usr\/bin\/env node\n/);
  });

  it('berth --version, run from another directory, prints the package version and the engine', async () => {
    const elsewhere = await mkdtemp(join(dir, 'elsewhere-'));
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await execa(berthBin, ['--version'], { cwd: elsewhere, env, reject: false });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^berth ${version.replaceAll('.', '\\.')}\nengine: docker `));
  });

  it('berth completion bash from the installed package completes through real bash completion', async () => {
    const script = join(dir, 'berth.bash');
    const result = await execa(berthBin, ['completion', 'bash'], { env, reject: false });
    assert.equal(result.exitCode, 0, result.stderr);
    await writeFile(script, result.stdout);
    const commands = await completeWithBash(script, 'berth ');
    assert.match(commands.spec, /^complete -F \S+ berth$/);
    assert.ok(commands.candidates.includes('run') && commands.candidates.includes('completion'), commands.candidates.join(' '));
    const options = await completeWithBash(script, 'berth run --host');
    assert.ok(options.candidates.includes('--host-config') && options.candidates.includes('--hostname'), options.candidates.join(' '));
  });

  it('installs the man pages where man finds them: man berth-run renders', async () => {
    const result = await execa('man', ['--warnings', '-M', join(prefix, 'share', 'man'), 'berth-run'], {
      env: { MANWIDTH: '100', MANPAGER: 'cat', PAGER: 'cat' },
      reject: false,
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^NAME\n\s+berth-run - start a container/m);
    assert.match(result.stdout, /berth run \[BERTH-OPTIONS\] \[DOCKER-RUN-OPTIONS\] IMAGE/);
  });

  it('ships providers that run from where npm installed them', async () => {
    const provider = join(prefix, 'lib', 'node_modules', 'berth', 'providers', 'address-pool');
    const state = join(dir, 'pool.json');
    const result = await execa(provider, ['--network', 'public6', '--range', '2001:db8::100-2001:db8::1ff', '--state', state, 'address', 'web'], { env, reject: false });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { network: 'public6', ipv6: '2001:db8::100' });
  });

  it('ships a systemd unit that systemd accepts and that watches with berth reconcile after the engine and the network', async () => {
    const unit = join(prefix, 'lib', 'node_modules', 'berth', 'systemd', 'berth-reconcile.service');
    const text = await readFile(unit, 'utf8');
    assert.match(text, /^ExecStart=\/usr\/bin\/env berth reconcile --watch$/m);
    assert.match(text, /^After=network-online\.target docker\.service podman\.service podman-restart\.service$/m);
    assert.match(text, /^WantedBy=multi-user\.target$/m);
    // The man page it names is installed with the package, not on this machine's man path.
    const verified = await execa('systemd-analyze', ['verify', '--man=no', unit], { reject: false });
    assert.equal(verified.exitCode, 0, verified.stderr);
    assert.equal(verified.stderr, '');
  });

  it('berth preprocess -f, run from another directory, prints the plain Dockerfile', async () => {
    const elsewhere = join(dir, 'project', 'web');
    await mkdir(elsewhere, { recursive: true });
    await writeFile(join(elsewhere, 'Dockerfile.berth'), EXTENDED);
    const result = await execa(berthBin, ['preprocess', '-f', 'Dockerfile.berth'], { cwd: elsewhere, env, reject: false, stripFinalNewline: false });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, PLAIN);
  });
});
