import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Address6 } from 'ip-address';
import { BerthError } from '../../src/core/errors.js';
import type { Engine } from '../../src/edge/engine.js';
import {
  connectNetwork,
  createNetwork,
  engineVersion,
  inspectNetwork,
} from '../../src/edge/networks.js';
import {
  Cleanup,
  dockerOk,
  engineEnv,
  engineSkip,
  ensureBaseImage,
  leftovers,
  testPrefix,
  type Engine as EngineName,
} from '../helpers/engine.js';
import { withEnv } from '../helpers/env.js';
import { docAddress6, docSubnet6 } from '../helpers/netns.js';

/** `2001:db8:a:b::/112` written the long way, as a host file might: `2001:0DB8:000a:000b:0:0:0:0/112`. */
function longForm(cidrOrAddress: string): string {
  const [address = '', prefix] = cidrOrAddress.split('/');
  const long = new Address6(address).canonicalForm().replace(/^2001:0db8/, '2001:0DB8').replace(/:0000:0000:0000:/, ':0:0:0:');
  return prefix === undefined ? long : `${long}/${prefix}`;
}

for (const name of ['docker', 'podman'] as const satisfies readonly EngineName[]) {
  describe(`networks (${name})`, async () => {
    const skip = await engineSkip(name);
    const engine: Engine = { name, command: name };
    const prefix = testPrefix();
    const cleanup = new Cleanup({ engine: name, prefix });
    let restoreEnv = () => {};
    const first = { name: `${prefix}-a`, subnet: docSubnet6() };
    const second = { name: `${prefix}-b`, subnet: docSubnet6() };
    const run = (container: string, network: string, ip6: string) =>
      dockerOk(['run', '-d', '--name', cleanup.container(container), '--network', network, '--ip6', ip6, '--', 'berth-test/busybox:1', 'sleep', '60'], { engine: name });

    before(async () => {
      restoreEnv = withEnv(engineEnv(name));
      if (skip) return;
      await ensureBaseImage(name);
    });
    after(async () => {
      await cleanup.run();
      restoreEnv();
      if (!skip) assert.deepEqual(await leftovers(prefix, name), []);
    });

    it('creates a network from a host entry', { skip }, async () => {
      const options = name === 'docker' ? { 'com.docker.network.driver.mtu': '1400' } : { mtu: '1400' };
      await createNetwork(engine, {
        name: cleanup.network(first.name),
        subnet6: longForm(first.subnet),
        gateway6: longForm(docAddress6(first.subnet, 1)),
        options,
      });
      await createNetwork(engine, { name: cleanup.network(second.name), subnet6: second.subnet, options: {} });
    });

    it('inspects it: canonical subnets and gateway, driver options', { skip }, async () => {
      const facts = await inspectNetwork(engine, first.name);
      assert.ok(facts);
      assert.equal(facts.name, first.name);
      assert.match(facts.id, /^[0-9a-f]{12,}$/);
      assert.equal(facts.driver, 'bridge');
      assert.equal(facts.ipv6, true);
      assert.ok(facts.subnets.includes(first.subnet), `${facts.subnets.join(', ')} should include ${first.subnet}`);
      assert.ok(facts.gateways.includes(docAddress6(first.subnet, 1)), `gateways: ${facts.gateways.join(', ')}`);
      assert.equal(facts.options[name === 'docker' ? 'com.docker.network.driver.mtu' : 'mtu'], '1400');
      assert.deepEqual(facts.holders, []);
    });

    it('is undefined for a network that does not exist, even when the name is a prefix of an id', { skip }, async () => {
      assert.equal(await inspectNetwork(engine, `${prefix}-missing`), undefined);
      const facts = await inspectNetwork(engine, first.name);
      assert.ok(facts);
      assert.equal(await inspectNetwork(engine, facts.id.slice(0, 12)), undefined);
    });

    it('lists the containers on it and the addresses they hold', { skip }, async () => {
      const address = docAddress6(first.subnet, 0x20);
      const id = (await run(`${prefix}-c1`, first.name, longForm(address))).trim();
      const facts = await inspectNetwork(engine, first.name);
      assert.ok(facts);
      assert.equal(facts.holders.length, 1);
      const [holder] = facts.holders;
      assert.equal(holder?.container, `${prefix}-c1`);
      assert.equal(holder?.id, id);
      assert.equal(holder?.ipv6, address);
      if (holder?.ipv4 !== undefined) assert.match(holder.ipv4, /^\d+\.\d+\.\d+\.\d+$/);
    });

    it('connects a running container to a further network at a fixed address', { skip }, async () => {
      const address = docAddress6(second.subnet, 0x20);
      assert.deepEqual(await connectNetwork(engine, second.name, `${prefix}-c1`, { ip6: address }), { ok: true });
      const facts = await inspectNetwork(engine, second.name);
      assert.deepEqual(
        facts?.holders.map((h) => [h.container, h.ipv6]),
        [[`${prefix}-c1`, address]],
      );
    });

    it('returns the refusal when the address is taken', { skip }, async () => {
      await run(`${prefix}-c2`, first.name, docAddress6(first.subnet, 0x21));
      const outcome = await connectNetwork(engine, second.name, `${prefix}-c2`, { ip6: docAddress6(second.subnet, 0x20) });
      assert.equal(outcome.ok, false);
      if (!outcome.ok) assert.match(outcome.message, /already in use|already allocated/i);
      // Podman 4.3 leaves the refused container half-attached; the holder of the address is still found.
      const facts = await inspectNetwork(engine, second.name);
      const holder = facts?.holders.find((h) => h.ipv6 === docAddress6(second.subnet, 0x20));
      assert.equal(holder?.container, `${prefix}-c1`);
    });

    it('fails to create a network whose name is taken, with the engine\'s message', { skip }, async () => {
      await assert.rejects(createNetwork(engine, { name: first.name, subnet6: docSubnet6(), options: {} }), (error: unknown) => {
        assert.ok(error instanceof BerthError);
        assert.equal(error.code, 'network.create-failed');
        assert.equal(error.exitCode, 125);
        assert.match(error.message, new RegExp(`cannot create network ${first.name}: .*(already exists|in use)`, 'i'));
        return true;
      });
    });

    it('reports the server version', { skip }, async () => {
      const version = await engineVersion(engine);
      assert.equal(version.engine, name);
      assert.match(version.version, /^\d+\.\d+/);
    });
  });
}

describe('networks without an engine', () => {
  it('say the engine cannot be reached', async () => {
    const restore = withEnv({ DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' });
    const engine: Engine = { name: 'docker', command: 'docker' };
    const unreachable = (error: unknown) => {
      assert.ok(error instanceof BerthError);
      assert.equal(error.code, 'engine.unreachable');
      assert.equal(error.exitCode, 125);
      return true;
    };
    try {
      await assert.rejects(inspectNetwork(engine, 'public6'), unreachable);
      await assert.rejects(createNetwork(engine, { name: 'public6', subnet6: '2001:db8::/112', options: {} }), unreachable);
      await assert.rejects(connectNetwork(engine, 'public6', 'web'), unreachable);
      await assert.rejects(engineVersion(engine), unreachable);
    } finally {
      restore();
    }
  });
});
