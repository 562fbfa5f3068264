// The npm package as users get it: packed from a copy of this tree by the real `npm pack`
// (prepack builds it), installed globally into a temporary prefix, and run from elsewhere.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { REPO_ROOT } from '../helpers/berth.js';

// Not copied: what packing must make afresh (dist), or must not see (git, earlier tarballs).
const NOT_COPIED = /^(node_modules|dist|\.git|berth-.*\.tgz)$/;

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
    const prefix = join(dir, 'prefix');
    await execa('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed.filename)], {
      cwd: dir,
      timeout: 45_000,
    });
    berthBin = join(prefix, 'bin', 'berth');
  });

  after(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('holds dist, schema, package.json and the readme and licence, and no sources, tests or fixtures', () => {
    const paths = packed.files.map((file) => file.path);
    for (const needed of ['package.json', 'dist/cli/bin.js', 'dist/index.js', 'dist/index.d.ts', 'schema/host.schema.json']) {
      assert.ok(paths.includes(needed), `${needed} is missing from the package`);
    }
    const stray = paths.filter((path) => !/^(dist|schema)\//.test(path) && !/^(package\.json|README(\.md)?|LICENSE(\.md|\.txt)?)$/i.test(path));
    assert.deepEqual(stray, []);
    const sources = paths.filter((path) => /(^|\/)(src|test|tests|fixtures|bench)\//.test(path) || (/\.ts$/.test(path) && !/\.d\.ts$/.test(path)));
    assert.deepEqual(sources, []);
  });

  it('ships the bin with a node shebang, executable', async () => {
    const bin = packed.files.find((file) => file.path === 'dist/cli/bin.js');
    assert.ok(bin);
    assert.equal(bin.mode & 0o111, 0o111, `mode ${bin.mode.toString(8)}`);
    const installed = await readFile(berthBin, 'utf8');
    assert.match(installed, /^#!\/usr\/bin\/env node\n/);
  });

  it('berth --version, run from another directory, prints the package version', async () => {
    const elsewhere = await mkdtemp(join(dir, 'elsewhere-'));
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await execa(berthBin, ['--version'], { cwd: elsewhere, env, reject: false });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, version);
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
