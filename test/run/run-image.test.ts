// The berth run orchestration in-process, against the real engine: images with berth labels made
// with plain docker build, a host file in a temporary folder, and the run's output captured.
import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseRunArgs } from '../../src/core/docker-cli/parse-run-args.js';
import { isBerthError } from '../../src/core/errors.js';
import { encodeLabels } from '../../src/core/labels.js';
import { needKind } from '../../src/core/needs/kinds/index.js';
import { selectEngine } from '../../src/edge/engine.js';
import { inspectImage } from '../../src/edge/images.js';
import type { Output } from '../../src/run/output.js';
import { prefetchHost } from '../../src/run/prefetch-host.js';
import { runImage } from '../../src/run/run-image.js';
import { BASE_IMAGE, Cleanup, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix } from '../helpers/engine.js';

const engine = selectEngine('docker');

/** An Output that keeps what the run writes. */
function captured(): Output & { readonly out: string[]; readonly err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(typeof text === 'string' ? text : Buffer.from(text).toString()), stderr: (text) => err.push(text) };
}

/** `berth run ARGV` as the run command starts it, up to the orchestration. */
async function run(argv: readonly string[], output: Output): Promise<number> {
  const parsed = parseRunArgs(argv);
  const image = inspectImage(engine, parsed.image);
  const host = prefetchHost(engine, parsed.berth.hostConfig ?? '/nonexistent/host.yaml');
  return runImage(engine, parsed, { image, host }, output);
}

describe('runImage', { skip: await engineSkip() }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const withVolume = cleanup.image(`${prefix}-vol:1`);
  const plain = cleanup.image(`${prefix}-plain:1`);
  const forged = cleanup.image(`${prefix}-forged:1`);
  const dataVolume = cleanup.volume(`${prefix}-data`);
  let dir = '';

  async function build(tag: string, labels: Record<string, string>): Promise<void> {
    const flags = Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
    await dockerOk(['build', '--quiet', '--tag', tag, ...flags, '-'], { input: `FROM ${BASE_IMAGE}\n` });
  }

  async function hostFile(config: Record<string, unknown>): Promise<string> {
    const path = join(dir, `host-${Object.keys(config).join('-') || 'empty'}-${Math.random().toString(16).slice(2)}.yaml`);
    await writeFile(path, stringify(config));
    return path;
  }

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-run-image-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const volume = needKind('volume')?.parse(['data', '/data'], { source: 'label', key: 'test' });
    assert.ok(volume?.ok);
    await build(withVolume, encodeLabels([volume.need]));
    await build(plain, {});
    await build(forged, { 'berth.schema': '1', 'berth.need.volume.data': '["volume","data","/data,readonly"]' });
    await dockerOk(['volume', 'create', dataVolume]);
  });
  after(async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix), []);
  });

  it('lists an unmet need, and the run creates nothing', async () => {
    const host = await hostFile({});
    const output = captured();
    await assert.rejects(run(['--host-config', host, '--name', `${prefix}-unmet`, withVolume], output), (caught: unknown) => {
      assert.ok(isBerthError(caught));
      assert.equal(caught.code, 'run.unmet');
      assert.match(caught.message, /volume "data" is not provided by .*host-empty/);
      assert.match(caught.message, /fix: add it under volumes:/);
      return true;
    });
    assert.equal((await dockerOk(['ps', '-a', '--filter', `name=${prefix}-unmet`, '--quiet'])).trim(), '');
  });

  it('prints the resolution and the exact engine command on a dry run', async () => {
    const host = await hostFile({ volumes: { data: { volume: dataVolume, readonly: true } } });
    const output = captured();
    const status = await run(['--host-config', host, '--dry-run', '--rm', withVolume, 'true'], output);
    assert.equal(status, 0);
    const text = output.out.join('');
    assert.match(text, new RegExp(`volume data\\s+docker volume ${dataVolume} at /data \\(ro\\)`));
    // Started by the image id berth inspected, with the reference the user gave kept as a label.
    const id = (await dockerOk(['image', 'inspect', '--format', '{{.Id}}', withVolume])).trim();
    const recorded = `--label berth.run.schema=1 --label berth.run.host-file=${host} --label 'berth.run.volume.data={"host":"data","volume":"${dataVolume}"}'`;
    assert.ok(text.includes(`docker run --mount type=volume,source=${dataVolume},target=/data,ro,volume-nocopy --label berth.image=${withVolume} --rm ${recorded} -- ${id} true`), text);
  });

  it('starts the container with the volume mounted and returns its exit status', async () => {
    const host = await hostFile({ volumes: { data: { volume: dataVolume } } });
    const status = await run(['--host-config', host, '--rm', withVolume, 'sh', '-c', 'test -d /data && touch /data/written && exit 3'], captured());
    assert.equal(status, 3);
    const seen = await dockerOk(['run', '--rm', '--mount', `type=volume,source=${dataVolume},target=/v`, BASE_IMAGE, 'ls', '/v']);
    assert.equal(seen.trim(), 'written');
  });

  it('runs an image without needs as docker run would', async () => {
    const output = captured();
    assert.equal(await run(['--dry-run', plain], output), 0);
    assert.equal(output.out.join(''), `${plain} declares no needs; it runs as with docker run:\ndocker run -- ${plain}\n`);
  });

  it('refuses an image whose berth labels do not parse, naming the label', async () => {
    await assert.rejects(run(['--dry-run', forged], captured()), (caught: unknown) => {
      assert.ok(isBerthError(caught));
      assert.equal(caught.code, 'labels.invalid');
      assert.match(caught.message, /label berth\.need\.volume\.data/);
      return true;
    });
  });
});
