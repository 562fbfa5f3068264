import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostConfig } from '../../../src/core/host/host-config.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import { needKind } from '../../../src/core/needs/kinds/index.js';
import type { Need } from '../../../src/core/needs/need.js';
import type { EngineNetwork, WorldState } from '../../../src/core/plan/world-state.js';
import { resolveNeeds, type ResolveInput } from '../../../src/core/plan/resolve.js';

const HOST = `
networks:
  public6:
    subnet6: 2001:db8:1::8888:0/112
    subnet4: 192.0.2.0/24
    ndp-proxy: eth0
  backend:
    subnet6: 2001:db8:2::/64
addresses:
  webserver:
    network: public6
    ipv6: 2001:db8:1::8888:20
    ipv4: 192.0.2.20
  mail:
    network: public6
    ipv6: 2001:db8:1::8888:25
    images: ["registry.example.com/mail:*"]
volumes:
  webpages:
    source: /srv/www
  cache:
    volume: web-cache
    readonly: true
  nfs:
    source: /mnt/nfs
    provider: [/etc/berth/providers/nfs, --server, nas1]
`;

function host(text = HOST, file = '/etc/berth/host.yaml'): HostConfig {
  const result = parseHostConfig(text, file);
  assert.ok(result.config, JSON.stringify(result.problems));
  return result.config;
}

function need(kind: string, ...args: string[]): Need {
  const result = needKind(kind)?.parse(args, { source: 'label', key: `berth.need.${kind}.${args[0]}` });
  assert.ok(result?.ok);
  return result.need;
}

function world(overrides: Partial<WorldState> = {}): WorldState {
  return {
    networks: new Map(),
    volumes: new Map([['web-cache', true]]),
    directories: new Map([['/srv/www', { ok: true, realPath: '/srv/www' }], ['/mnt/nfs', { ok: false, reason: 'does not exist' }]]),
    interfaces: new Map([['eth0', { exists: true, proxyNdp: true }]]),
    ipv6NatByDefault: false,
    ...overrides,
  };
}

function resolve(needs: Need[], extra: Partial<ResolveInput> = {}) {
  return resolveNeeds({ image: { ref: 'example/web', digests: [] }, needs, host: host(), world: world(), ...extra });
}

describe('resolveNeeds', () => {
  it('meets a named address, a volume and a network, in one plan', () => {
    const result = resolve([need('address', 'webserver'), need('volume', 'webpages', '/www', 'ro'), need('volume', 'cache', '/cache'), need('network', 'backend')]);
    assert.deepEqual(result.unmet, []);
    assert.ok(result.plan);
    assert.deepEqual(result.plan.attachments.map((a) => [a.network.name, a.ipv6, a.ipv4, a.create]), [
      ['public6', '2001:db8:1::8888:20', '192.0.2.20', true],
      ['backend', undefined, undefined, true],
    ]);
    assert.deepEqual(result.plan.mounts, [
      { type: 'bind', source: '/srv/www', target: '/www', readOnly: true },
      { type: 'volume', source: 'web-cache', target: '/cache', readOnly: true },
    ]);
    assert.deepEqual(result.plan.ndp, [{ address: '2001:db8:1::8888:20', iface: 'eth0' }]);
  });

  it('places a literal address on the network whose subnet holds it', () => {
    const result = resolve([need('address', '2001:db8:2::99')]);
    assert.deepEqual(result.plan?.attachments.map((a) => [a.network.name, a.ipv6]), [['backend', '2001:db8:2::99']]);
  });

  it('lists every unmet need at once, with what to do', () => {
    const result = resolve([
      need('address', 'nosuch'),
      need('volume', 'missing', '/m'),
      need('network', 'ghost'),
      need('address', '2001:db8:9::1'),
      need('address', '2001:db8:2::99/112'),
    ]);
    assert.equal(result.plan, undefined);
    assert.deepEqual(result.unmet.map((u) => u.problem), [
      'address "nosuch" is not provided by /etc/berth/host.yaml',
      'volume "missing" is not provided by /etc/berth/host.yaml',
      'network "ghost" is not provided by /etc/berth/host.yaml',
      'no network in /etc/berth/host.yaml has a subnet containing 2001:db8:9::1',
      'the image asks for 2001:db8:2::99/112, but network backend is 2001:db8:2::/64',
    ]);
    assert.match(result.unmet[1]?.fix ?? '', /add it under volumes:/);
  });

  it('keeps addresses with an images allow-list for matching images (reference or digest)', () => {
    assert.match(resolve([need('address', 'mail')]).unmet[0]?.problem ?? '', /only be claimed by images matching "registry.example.com\/mail:\*"/);
    assert.match(resolve([need('address', '2001:db8:1::8888:25')]).unmet[0]?.problem ?? '', /is the address of "mail"/);
    const allowed = resolve([need('address', 'mail')], { image: { ref: 'registry.example.com/mail:2', digests: [] } });
    assert.deepEqual(allowed.unmet, []);
    const byDigest = resolve([need('address', 'mail')], { image: { ref: 'sha256:abc', digests: ['registry.example.com/mail@sha256:abc'] }, host: host(HOST.replace('registry.example.com/mail:*', 'registry.example.com/mail@*')) });
    assert.deepEqual(byDigest.unmet, []);
  });

  it('names the container that holds an address', () => {
    const engine: EngineNetwork = { name: 'public6', ipv6: true, subnets: ['2001:db8:1::8888:0/112', '192.0.2.0/24'], options: {}, holders: [{ container: 'old-web', id: 'abc', ipv6: '2001:db8:1::8888:20' }] };
    const result = resolve([need('address', 'webserver')], { world: world({ networks: new Map([['public6', engine]]) }) });
    assert.match(result.unmet[0]?.problem ?? '', /2001:db8:1::8888:20 on network public6 is held by container old-web$/);
    assert.equal(result.unmet[0]?.fix, 'upgrade it in place with berth run --replace old-web ..., or remove it with berth rm old-web');
    assert.doesNotMatch(result.unmet[0]?.fix ?? '', /rm -f/);
  });

  it('counts a stopped container as the holder of its address', () => {
    const engine: EngineNetwork = { name: 'public6', ipv6: true, subnets: ['2001:db8:1::8888:0/112', '192.0.2.0/24'], options: {}, holders: [{ container: 'old-web', id: 'abc', ipv6: '2001:db8:1::8888:20', stopped: 'exited' }] };
    const result = resolve([need('address', 'webserver')], { world: world({ networks: new Map([['public6', engine]]) }) });
    assert.match(result.unmet[0]?.problem ?? '', /is held by container old-web \(exited: a container that exists holds its address, running or not\)/);
    assert.match(result.unmet[0]?.fix ?? '', /berth run --replace old-web .*berth rm old-web/);
  });

  it('refuses an existing engine network with other subnets, and never plans to change it', () => {
    const engine: EngineNetwork = { name: 'public6', ipv6: true, subnets: ['2001:db8:7::/64'], options: {}, holders: [] };
    const result = resolve([need('address', 'webserver')], { world: world({ networks: new Map([['public6', engine]]) }) });
    assert.match(result.unmet[0]?.problem ?? '', /exists in the engine with subnets 2001:db8:7::\/64, but .* says 2001:db8:1::8888:0\/112, 192.0.2.0\/24/);
  });

  it('uses an existing engine network with the same subnets (extra families ignored)', () => {
    const engine: EngineNetwork = { name: 'backend', ipv6: true, subnets: ['2001:db8:2::/64', '10.89.0.0/24'], options: {}, holders: [] };
    const result = resolve([need('network', 'backend')], { world: world({ networks: new Map([['backend', engine]]) }) });
    assert.equal(result.plan?.attachments[0]?.create, false);
  });

  it('refuses two addresses of one family on one network', () => {
    const result = resolve([need('address', 'webserver'), need('address', '2001:db8:1::8888:99')]);
    assert.match(result.unmet[0]?.problem ?? '', /two IPv6 addresses on network public6: 2001:db8:1::8888:20 \(address webserver\) and 2001:db8:1::8888:99/);
  });

  it('refuses two volumes at one target', () => {
    const result = resolve([need('volume', 'webpages', '/data'), need('volume', 'cache', '/data')]);
    assert.match(result.unmet[0]?.problem ?? '', /"webpages" and "cache" are both to be mounted at \/data/);
  });

  it('asks for the provider of a missing volume, then reports its failure', () => {
    const first = resolve([need('volume', 'nfs', '/nfs')]);
    assert.deepEqual(first.unmet[0]?.provider, { kind: 'volume', name: 'nfs', argv: ['/etc/berth/providers/nfs', '--server', 'nas1'], fallback: false });
    const failed = resolve([need('volume', 'nfs', '/nfs')], { providersRun: new Map([['volume.nfs', { failure: 'provider exited with 3' }]]) });
    assert.equal(failed.unmet[0]?.provider, undefined);
    assert.match(failed.unmet[0]?.problem ?? '', /provider exited with 3/);
    const stillMissing = resolve([need('volume', 'nfs', '/nfs')], { providersRun: new Map([['volume.nfs', {}]]) });
    assert.match(stillMissing.unmet[0]?.problem ?? '', /its provider succeeded, but it is still missing/);
  });

  it('offers the host-wide provider for names the file does not declare', () => {
    const withProviders = host(`${HOST}providers:\n  volume: [/etc/berth/providers/any-volume]\n`);
    const result = resolve([need('volume', 'other', '/o')], { host: withProviders });
    assert.deepEqual(result.unmet[0]?.provider, { kind: 'volume', name: 'other', argv: ['/etc/berth/providers/any-volume'], fallback: true });
  });

  it('refuses a source through a symbolic link when its entry says follow-symlinks: false, and mounts the real path otherwise', () => {
    const linked = world({ directories: new Map([['/srv/www', { ok: true, realPath: '/data/www', symlink: '/srv' }]]) });
    const followed = resolve([need('volume', 'webpages', '/w')], { world: linked });
    assert.deepEqual(followed.plan?.mounts, [{ type: 'bind', source: '/data/www', target: '/w', readOnly: false }]);
    const strict = host(HOST.replace('    source: /srv/www\n', '    source: /srv/www\n    follow-symlinks: false\n'));
    const refused = resolve([need('volume', 'webpages', '/w')], { host: strict, world: linked });
    assert.equal(refused.plan, undefined);
    assert.match(refused.unmet[0]?.problem ?? '', /volume "webpages": \/srv\/www goes through the symbolic link \/srv, and its entry says follow-symlinks: false/);
    assert.match(refused.unmet[0]?.fix ?? '', /real path \(\/data\/www\)/);
    const plain = resolve([need('volume', 'webpages', '/w')], { host: strict });
    assert.deepEqual(plain.plan?.mounts, [{ type: 'bind', source: '/srv/www', target: '/w', readOnly: false }]);
  });

  it('never mounts a missing docker volume', () => {
    const result = resolve([need('volume', 'cache', '/c')], { world: world({ volumes: new Map() }) });
    assert.match(result.unmet[0]?.problem ?? '', /docker volume web-cache does not exist/);
  });

  it('checks NDP proxying on the interface', () => {
    const off = resolve([need('address', 'webserver')], { world: world({ interfaces: new Map([['eth0', { exists: true, proxyNdp: false }]]) }) });
    assert.match(off.unmet[0]?.fix ?? '', /sysctl -w net.ipv6.conf.eth0.proxy_ndp=1/);
    const gone = resolve([need('address', 'webserver')], { world: world({ interfaces: new Map() }) });
    assert.match(gone.unmet[0]?.problem ?? '', /there is no interface eth0/);
  });

  it('gives the slash form of the sysctl fix for a VLAN interface, whose name has a dot', () => {
    const vlan = host(HOST.replace('ndp-proxy: eth0', 'ndp-proxy: eth0.100'));
    const off = resolve([need('address', 'webserver')], { host: vlan, world: world({ interfaces: new Map([['eth0.100', { exists: true, proxyNdp: false }]]) }) });
    assert.equal(off.unmet[0]?.fix, 'run: sysctl -w net/ipv6/conf/eth0.100/proxy_ndp=1');
    assert.match(off.unmet[0]?.problem ?? '', /net\/ipv6\/conf\/eth0\.100\/proxy_ndp is 0/);
  });

  it('warns when a global IPv6 address sits behind IPv6 NAT', () => {
    const globalHost = host(HOST.replaceAll('2001:db8:1::8888', '2a01:4f8:1::8888'));
    const result = resolve([need('address', 'webserver')], { host: globalHost, world: world({ ipv6NatByDefault: true }) });
    assert.match(result.warnings[0] ?? '', /gateway mode nat/);
    assert.deepEqual(resolve([need('address', 'webserver')], { host: globalHost }).warnings, []);
  });
});
