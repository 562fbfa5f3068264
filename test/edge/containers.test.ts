import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/edge/engine.js';
import { containerMacs, inspectContainers, observeContainers } from '../../src/edge/containers.js';
import { Cleanup, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix } from '../helpers/engine.js';
import { docAddress6, docSubnet6 } from '../helpers/netns.js';

describe('observeContainers (docker)', async () => {
  const skip = await engineSkip('docker');
  const engine: Engine = { name: 'docker', command: 'docker' };
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const label = `${prefix}.marked`;
  const subnet = docSubnet6();
  const address = docAddress6(subnet, 0x20);
  const network = cleanup.network(`${prefix}-net`);

  before(async () => {
    if (skip) return;
    const image = await ensureBaseImage();
    await dockerOk(['network', 'create', '--ipv6', '--subnet', subnet, network]);
    await dockerOk(['create', '--name', cleanup.container(`${prefix}-stopped`), '--label', `${label}=1`, '--restart', 'unless-stopped', '--network', network, '--ip6', address, image, 'sleep', '600']);
    await dockerOk(['run', '-d', '--name', cleanup.container(`${prefix}-running`), '--label', `${label}=1`, '--network', network, image, 'sleep', '600']);
    await dockerOk(['create', '--name', cleanup.container(`${prefix}-other`), image, 'true']);
  });
  after(async () => {
    await cleanup.run();
    if (!skip) assert.deepEqual(await leftovers(prefix), []);
  });

  it('finds the labelled containers, running and not, with what each is configured with', { skip }, async () => {
    const found = await observeContainers(engine, { label, all: true });
    const byName = new Map(found.map((c) => [c.name, c]));
    assert.deepEqual([...byName.keys()].sort(), [`${prefix}-running`, `${prefix}-stopped`]);
    const stopped = byName.get(`${prefix}-stopped`);
    assert.equal(stopped?.state, 'created');
    assert.equal(stopped?.restartPolicy, 'unless-stopped');
    assert.equal(stopped?.labels[label], '1');
    assert.deepEqual(stopped?.networks.map((n) => [n.name, n.ipv6]), [[network, address]]);
    const running = byName.get(`${prefix}-running`);
    assert.equal(running?.state, 'running');
    assert.equal(running?.restartPolicy, 'no');
    assert.ok(running?.networks[0]?.ipv6?.startsWith(subnet.slice(0, subnet.indexOf('::'))), JSON.stringify(running?.networks));
    assert.notEqual(running?.networks[0]?.networkId, '');
  });

  it('lists only running ones without all', { skip }, async () => {
    const found = await observeContainers(engine, { label, all: false });
    assert.deepEqual(found.map((c) => c.name), [`${prefix}-running`]);
  });

  it('reads the link-layer address of a running container on each network, and none of a stopped one', { skip }, async () => {
    const macs = await containerMacs(engine, `${prefix}-running`);
    const mac = (await dockerOk(['container', 'inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").MacAddress}}`, `${prefix}-running`])).trim();
    assert.match(mac, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    assert.deepEqual([...macs], [[network, mac]]);
    assert.deepEqual([...(await containerMacs(engine, `${prefix}-stopped`))], []);
    assert.deepEqual([...(await containerMacs(engine, `${prefix}-absent`))], []);
  });

  it('inspects the ones of a list that exist and leaves out the others', { skip }, async () => {
    const found = await inspectContainers(engine, [`${prefix}-other`, `${prefix}-absent`, `${prefix}-stopped`]);
    assert.deepEqual(found.map((c) => c.name).sort(), [`${prefix}-other`, `${prefix}-stopped`]);
    assert.deepEqual(await inspectContainers(engine, [`${prefix}-absent`]), []);
  });
});

describe('containerMacs (podman)', async () => {
  const skip = await engineSkip('podman');
  const engine: Engine = { name: 'podman', command: 'podman' };
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix, engine: 'podman' });
  const network = cleanup.network(`${prefix}-net`);
  const name = cleanup.container(`${prefix}-running`);

  before(async () => {
    if (skip) return;
    const image = await ensureBaseImage('podman');
    await dockerOk(['network', 'create', '--ipv6', '--subnet', docSubnet6(), network], { engine: 'podman' });
    await dockerOk(['run', '-d', '--name', name, '--network', network, image, 'sleep', '600'], { engine: 'podman' });
  });
  after(async () => {
    await cleanup.run();
    if (!skip) assert.deepEqual(await leftovers(prefix, 'podman'), []);
  });

  it('reads the link-layer address from podman\'s indented inspect output', { skip }, async () => {
    const mac = (await dockerOk(['container', 'inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").MacAddress}}`, name], { engine: 'podman' })).trim();
    assert.match(mac, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    assert.deepEqual([...(await containerMacs(engine, name))], [[network, mac]]);
  });
});
