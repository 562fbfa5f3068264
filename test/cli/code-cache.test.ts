import assert from 'node:assert/strict';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { skipFor } from '../helpers/skip.js';

const LOADER = fileURLToPath(new URL('../../src/cli/code-cache.ts', import.meta.url));

// Each load runs in a process of its own, as berth does: the cache is written at exit.
async function load(bundle: string, nodeOptions: readonly string[] = []): Promise<{ readonly cache: string; readonly said: string }> {
  const script = [
    `import { loadBundle } from ${JSON.stringify(LOADER)};`,
    `const { exports, cache } = loadBundle(${JSON.stringify(bundle)}, (specifier) => import(specifier));`,
    'const said = await exports.say();',
    'console.log(JSON.stringify({ cache, said }));',
  ].join('\n');
  const { stdout } = await execa(process.execPath, [...nodeOptions, '--import', 'tsx', '--input-type=module', '-e', script]);
  return JSON.parse(stdout) as { cache: string; said: string };
}

// A bundle as scripts/build-cli.mjs writes them: CommonJS, with what stays outside imported through importExternal.
const bundleText = (word: string) => [
  `const { join } = require('node:path');`,
  `exports.say = async () => ${JSON.stringify(word)} + (await importExternal('node:path')).sep + join('a', 'b');`,
  '',
].join('\n');

describe('loadBundle (V8 code cache beside a bundle)', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-code-cache-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function freshBundle(name: string, word: string): Promise<string> {
    const folder = join(dir, name);
    await mkdir(folder);
    const bundle = join(folder, 'main.cjs');
    await writeFile(bundle, bundleText(word));
    return bundle;
  }

  it('makes the cache on the first load and uses it on the next, importing from the cached script too', async () => {
    const bundle = await freshBundle('first', 'first');
    assert.deepEqual(await load(bundle), { cache: 'made-at-exit', said: 'first/a/b' });
    const made = await stat(`${bundle}.v8cache`);
    assert.ok(made.size > 4);
    assert.equal(made.mode & 0o022, 0, 'only its owner may write the cache');
    assert.deepEqual(await load(bundle), { cache: 'used', said: 'first/a/b' });
  });

  it('never runs the code of an older bundle of the same length, and replaces its cache', async () => {
    const bundle = await freshBundle('rebuilt', 'aaaa');
    await load(bundle);
    const old = await readFile(`${bundle}.v8cache`);
    await writeFile(bundle, bundleText('bbbb'));
    assert.deepEqual(await load(bundle), { cache: 'made-at-exit', said: 'bbbb/a/b' });
    assert.notDeepEqual(await readFile(`${bundle}.v8cache`), old);
    assert.deepEqual(await load(bundle), { cache: 'used', said: 'bbbb/a/b' });
  });

  it('ignores a cache others may write, or that another user owns, and a cache that is not V8 data', async () => {
    const bundle = await freshBundle('untrusted', 'kept');
    await load(bundle);
    const cache = `${bundle}.v8cache`;
    await chmod(cache, 0o666);
    assert.equal((await load(bundle)).cache, 'made-at-exit');
    assert.equal((await stat(cache)).mode & 0o022, 0, 'the loader replaced it with one of its own');

    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      await chown(cache, 65534, 65534);
      assert.equal((await load(bundle)).cache, 'made-at-exit');
      assert.equal((await stat(cache)).uid, 0);
    }

    // The right checksum in front of bytes V8 refuses: V8 rejects them, and the bundle still loads.
    const data = await readFile(cache);
    await writeFile(cache, Buffer.concat([data.subarray(0, 4), Buffer.from('not a code cache')]), { mode: 0o644 });
    assert.deepEqual(await load(bundle), { cache: 'made-at-exit', said: 'kept/a/b' });
    assert.equal((await load(bundle)).cache, 'used');
  });

  it('loads without a cache on a Node without zlib.crc32 (before 20.15)', async () => {
    const bundle = await freshBundle('old-node', 'plain');
    const withoutCrc = join(dir, 'without-crc32.cjs');
    await writeFile(withoutCrc, "require('node:zlib').crc32 = undefined; require('node:module').syncBuiltinESMExports();\n");
    assert.deepEqual(await load(bundle, ['--require', withoutCrc]), { cache: 'none', said: 'plain/a/b' });
    await assert.rejects(stat(`${bundle}.v8cache`), { code: 'ENOENT' });
  });

  // As root the loader runs as nobody, who may read the folder; root itself writes anywhere.
  async function loadAsAnother(bundle: string): Promise<unknown> {
    const asRoot = process.getuid?.() === 0;
    const script = [
      `const { loadBundle } = require(${JSON.stringify(LOADER)});`,
      `const { exports, cache } = loadBundle(${JSON.stringify(bundle)}, (specifier) => import(specifier));`,
      'exports.say().then((said) => console.log(JSON.stringify({ cache, said })));',
    ].join('\n');
    if (asRoot) await chmod(dir, 0o755);
    const result = await execa(process.execPath, ['--import', 'tsx', '-e', script], {
      reject: false,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(result.exitCode, 0, result.stderr);
    return JSON.parse(result.stdout);
  }

  it('loads without writing anything where it may not write', async () => {
    const bundle = await freshBundle('read-only', 'quiet');
    const folder = join(dir, 'read-only');
    await chmod(folder, 0o555);
    try {
      assert.deepEqual(await loadAsAnother(bundle), { cache: 'none', said: 'quiet/a/b' });
      await assert.rejects(stat(`${bundle}.v8cache`), { code: 'ENOENT' });
    } finally {
      await chmod(folder, 0o755);
    }
  });

  it("makes no cache for a bundle another user owns, even in a folder anyone may write", { skip: skipFor(process.getuid?.() === 0 ? undefined : 'running the loader as another user needs root') }, async () => {
    const bundle = await freshBundle('shared-folder', 'theirs');
    await chmod(join(dir, 'shared-folder'), 0o777);
    assert.deepEqual(await loadAsAnother(bundle), { cache: 'none', said: 'theirs/a/b' });
    await assert.rejects(stat(`${bundle}.v8cache`), { code: 'ENOENT' });
  });
});
