import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/edge/engine.js';
import { disconnected, networksReleased, startedId } from '../../src/edge/events.js';
import { Cleanup, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix } from '../helpers/engine.js';
import { docAddress6, docSubnet6 } from '../helpers/netns.js';

const ID = 'a'.repeat(64);

describe('event lines', () => {
  it('reads a container start in docker\'s and podman\'s shapes, and nothing else', () => {
    const cases: [string, string | undefined][] = [
      [JSON.stringify({ status: 'start', id: ID }), ID],
      [JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID } }), ID],
      [JSON.stringify({ Status: 'start', ID: ID.slice(0, 12) }), ID.slice(0, 12)],
      [JSON.stringify({ status: 'die', id: ID }), undefined],
      [JSON.stringify({ status: 'start', id: 'not-an-id' }), undefined],
      ['not json', undefined],
      ['null', undefined],
    ];
    for (const [line, expected] of cases) assert.equal(startedId(line), expected, line);
  });

  it('reads the container and network of a docker network disconnect, and nothing else', () => {
    const event = (Type: string, Action: string, Attributes: unknown) => JSON.stringify({ Type, Action, Actor: { ID: 'n'.repeat(64), Attributes } });
    const cases: [string, ReturnType<typeof disconnected>][] = [
      [event('network', 'disconnect', { container: ID, name: 'public6', type: 'bridge' }), { container: ID, network: 'public6' }],
      [event('network', 'connect', { container: ID, name: 'public6' }), undefined],
      [event('container', 'disconnect', { container: ID, name: 'public6' }), undefined],
      [event('network', 'disconnect', { name: 'public6' }), undefined],
      [event('network', 'disconnect', { container: 7, name: 'public6' }), undefined],
      [JSON.stringify({ Type: 'network', Action: 'disconnect' }), undefined],
      ['{', undefined],
      ['"text"', undefined],
    ];
    for (const [line, expected] of cases) assert.deepEqual(disconnected(line), expected, line);
  });
});

describe('networksReleased (docker)', async () => {
  const skip = await engineSkip('docker');
  const engine: Engine = { name: 'docker', command: 'docker' };
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const subnet = docSubnet6();
  const network = cleanup.network(`${prefix}-net`);
  const other = cleanup.network(`${prefix}-other`);
  let image = '';

  before(async () => {
    if (skip) return;
    image = await ensureBaseImage();
    await dockerOk(['network', 'create', '--ipv6', '--subnet', subnet, network]);
    await dockerOk(['network', 'create', other]);
  });
  after(async () => {
    await cleanup.run();
    if (!skip) assert.deepEqual(await leftovers(prefix), []);
  });

  it('resolves once a stopped container has left every network named, counting events from before it listened', { skip }, async () => {
    const name = cleanup.container(`${prefix}-web`);
    const id = (await dockerOk(['run', '-d', '--name', name, '--network', network, '--ip6', docAddress6(subnet, 0x20), image, 'sleep', '600'])).trim();
    await dockerOk(['network', 'connect', other, id]);
    const since = Math.floor(Date.now() / 1000) - 1;
    await dockerOk(['stop', '--time', '0', id]);
    assert.equal(await networksReleased(engine, id, [network, other], since, new AbortController().signal), true);
    // The address is free: another container takes it.
    const next = cleanup.container(`${prefix}-next`);
    await dockerOk(['run', '-d', '--name', next, '--network', network, '--ip6', docAddress6(subnet, 0x20), image, 'sleep', '600']);
    await dockerOk(['rm', '--force', name, next]);
  });

  it('counts no disconnect from before `since`: a container that left and came back holds its address again', { skip }, async () => {
    const name = cleanup.container(`${prefix}-back`);
    const id = (await dockerOk(['run', '-d', '--name', name, '--network', network, image, 'sleep', '600'])).trim();
    await dockerOk(['network', 'disconnect', network, id]);
    await dockerOk(['network', 'connect', network, id]);
    const since = Date.now() / 1000;
    const listening = new AbortController();
    const released = networksReleased(engine, id, [network], since, listening.signal);
    setTimeout(() => listening.abort(), 1500);
    assert.equal(await released, false, 'the disconnect before since was not taken for a release');
    await dockerOk(['stop', '--time', '0', id]);
    assert.equal(await networksReleased(engine, id, [network], since, new AbortController().signal), true);
    await dockerOk(['rm', '--force', name]);
  });

  it('resolves false when its stream ends first, and true at once for no network', { skip }, async () => {
    const name = cleanup.container(`${prefix}-kept`);
    const id = (await dockerOk(['run', '-d', '--name', name, '--network', network, image, 'sleep', '600'])).trim();
    const listening = new AbortController();
    const released = networksReleased(engine, id, [network], Math.floor(Date.now() / 1000), listening.signal);
    setTimeout(() => listening.abort(), 300);
    assert.equal(await released, false);
    assert.equal(await networksReleased(engine, id, [], 0, listening.signal), true);
    await dockerOk(['rm', '--force', name]);
  });
});
