import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { BerthError } from '../../src/core/errors.js';
import {
  addNdpProxy,
  announceNeighbour,
  interfaceExists,
  ipv6ForwardingEnabled,
  listNdpProxies,
  neighbourLink,
  proxyNdpEnabled,
  removeNdpProxy,
} from '../../src/edge/ndp.js';
import { docAddress6, docSubnet6, ip, NetLab, netnsSkip, type VethPair } from '../helpers/netns.js';

function berthError(code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof BerthError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.exitCode, 1);
    if (message) assert.match(error.message, message);
    return true;
  };
}

async function sysctl(path: string): Promise<string> {
  return (await readFile(`/proc/sys/${path}`, 'utf8')).trim();
}

describe('ndp', async () => {
  const skip = await netnsSkip();
  const lab = new NetLab();
  let pair: VethPair = { host: '', peer: '', ns: '' };
  const subnet = docSubnet6();
  const address = docAddress6(subnet, 0x20);

  before(async () => {
    if (skip) return;
    pair = await lab.veth(await lab.namespace());
  });
  after(async () => {
    await lab.cleanup();
    if (!skip) assert.deepEqual(await lab.leftovers(), []);
  });

  it('knows which interfaces exist', { skip }, async () => {
    assert.equal(await interfaceExists(pair.host), true);
    assert.equal(await interfaceExists(`${lab.tag}none`), false);
    assert.equal(await interfaceExists('eth0; reboot'), false);
    assert.equal(await interfaceExists('..'), false);
  });

  it('reads proxy_ndp of an interface, or of all', { skip }, async () => {
    const all = (await sysctl('net/ipv6/conf/all/proxy_ndp')) !== '0';
    assert.equal(await proxyNdpEnabled(pair.host), all);
    await lab.sysctl(`net.ipv6.conf.${pair.host}.proxy_ndp`, '1');
    assert.equal(await proxyNdpEnabled(pair.host), true);
    assert.equal(await proxyNdpEnabled(`${lab.tag}none`), undefined);
    assert.equal(await proxyNdpEnabled('../../all'), undefined);
  });

  it('reads whether IPv6 forwarding is on', { skip }, async () => {
    assert.equal(await ipv6ForwardingEnabled(), (await sysctl('net/ipv6/conf/all/forwarding')) !== '0');
  });

  it('adds a proxy entry, idempotently, lists it canonical and removes it', { skip }, async () => {
    const longForm = address.replace('2001:db8:', '2001:0DB8:');
    await addNdpProxy(longForm, pair.host);
    await addNdpProxy(address, pair.host);
    assert.deepEqual(await listNdpProxies(pair.host), [address]);
    await removeNdpProxy(address, pair.host);
    assert.deepEqual(await listNdpProxies(pair.host), []);
    await removeNdpProxy(address, pair.host);
  });

  it('fails with ip\'s own words for an interface that does not exist', { skip }, async () => {
    await assert.rejects(addNdpProxy(address, `${lab.tag}none`), berthError('ndp.failed', /Cannot find device/i));
    await assert.rejects(listNdpProxies(`${lab.tag}none`), berthError('ndp.failed', /Cannot find device/i));
  });

  it('finds the link an address is reached on directly, and none for a routed one', { skip }, async () => {
    await lab.address(pair.host, `${docAddress6(subnet, 1)}/112`);
    assert.equal(await neighbourLink(address), pair.host);
    const routed = docSubnet6();
    await lab.route(routed, { via: docAddress6(subnet, 2), dev: pair.host });
    assert.equal(await neighbourLink(docAddress6(routed, 0x20)), undefined);
  });

  it('tells the host\'s neighbour table where an address is, as an unsolicited advertisement would', { skip }, async () => {
    const mac = '02:42:c0:a8:00:99';
    assert.equal(await announceNeighbour(address, mac, pair.host), true);
    const shown = (await ip(['-6', 'neigh', 'show', address, 'dev', pair.host])).stdout;
    assert.match(shown, new RegExp(`lladdr ${mac} .*(STALE|DELAY|PROBE|REACHABLE)`));
    assert.equal(await announceNeighbour(address, 'not-a-mac', pair.host), false);
    assert.equal(await announceNeighbour(address, mac, `${lab.tag}none`), false);
    await assert.rejects(announceNeighbour('192.0.2.20', mac, pair.host), berthError('ndp.bad-address'));
  });

  it('never passes an unchecked interface name or address to ip', async () => {
    for (const iface of ['', 'eth0 dev lo', '-h', 'a-name-longer-than-15', '.', 'eth0/1']) {
      await assert.rejects(addNdpProxy('2001:db8::20', iface), berthError('ndp.bad-interface'));
      await assert.rejects(listNdpProxies(iface), berthError('ndp.bad-interface'));
    }
    for (const bad of ['192.0.2.20', '2001:db8::20/64', '2001:db8::20 dev lo', 'fe80::1%eth0', 'ff02::1', '::', '-h']) {
      await assert.rejects(addNdpProxy(bad, 'eth0'), berthError('ndp.bad-address'));
      await assert.rejects(removeNdpProxy(bad, 'eth0'), berthError('ndp.bad-address'));
    }
  });
});
