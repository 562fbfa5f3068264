import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { viewContainer, type ProxyEntries } from '../../../src/core/containers/container-view.js';
import type { ObservedContainer } from '../../../src/core/containers/observed.js';
import { planReconcile, type HostState } from '../../../src/core/containers/reconcile-plan.js';
import { encodeRunLabels, type Held } from '../../../src/core/containers/run-labels.js';
import type { HostConfig } from '../../../src/core/host/host-config.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';

const HOST_FILE = '/etc/berth/host.yaml';
const HOST = `
networks:
  public6:
    subnet6: 2001:db8:1::8888:0/112
    ndp-proxy: eth0
  backend:
    subnet6: 2001:db8:2::/64
addresses:
  web:
    network: public6
    ipv6: 2001:db8:1::8888:20
  mail:
    network: public6
    ipv6: 2001:db8:1::8888:25
volumes:
  pages:
    source: /srv/www
  nfs:
    source: /mnt/nfs
    provider: [/etc/berth/providers/nfs]
`;

function host(text = HOST): HostConfig {
  const result = parseHostConfig(text, HOST_FILE);
  assert.ok(result.config, JSON.stringify(result.problems));
  return result.config;
}

const WEB: Held = { kind: 'address', need: 'web', host: 'web', network: 'public6', ipv6: '2001:db8:1::8888:20', ndpProxy: 'eth0' };

function container(name: string, held: readonly Held[], options: Partial<ObservedContainer> & { hostFile?: string; networkId?: string } = {}): ObservedContainer {
  const networks = held.flatMap((h) => {
    if (h.kind === 'address') return [{ name: h.network, networkId: options.networkId ?? `id-${h.network}`, ...(h.ipv6 ? { ipv6: h.ipv6 } : {}) }];
    if (h.kind === 'network') return [{ name: h.host, networkId: options.networkId ?? `id-${h.host}` }];
    return [];
  });
  return {
    id: `${name}-id`, name, state: 'running', image: 'web:1', restartPolicy: 'no', mounts: [], networks,
    labels: encodeRunLabels({ hostFile: options.hostFile ?? HOST_FILE, held }),
    ...options,
  };
}

const NOTHING: HostState = { proxies: new Map(), networks: new Map([['public6', 'id-public6'], ['backend', 'id-backend']]), directories: new Map([['/srv/www', true], ['/mnt/nfs', true]]), volumes: new Set() };

function plan(containers: readonly ObservedContainer[], state: Partial<HostState> = {}, config = host()) {
  const full = { ...NOTHING, ...state };
  const views = containers.map((c) => viewContainer(c, HOST_FILE, config, full.proxies));
  return planReconcile(views, containers, config, full);
}

const proxies = (...addresses: string[]): ProxyEntries => new Map([['eth0', new Set(addresses)]]);

describe('planReconcile', () => {
  it('has nothing to do when the host is in line', () => {
    assert.deepEqual(plan([container('web', [WEB])], { proxies: proxies('2001:db8:1::8888:20') }), { actions: [], findings: [] });
  });

  it('adds the proxy entry of a running container, and of a stopped one that will come back', () => {
    const comesBack = container('web', [WEB], { state: 'exited', restartPolicy: 'unless-stopped' });
    assert.deepEqual(plan([comesBack]).actions, [{ type: 'add-proxy', address: '2001:db8:1::8888:20', iface: 'eth0', for: ['web'] }]);
  });

  it('leaves a stopped container without restart policy alone, but keeps its entry', () => {
    const stopped = container('web', [WEB], { state: 'exited' });
    assert.deepEqual(plan([stopped]).actions, []);
    assert.deepEqual(plan([stopped], { proxies: proxies('2001:db8:1::8888:20') }).actions, []);
  });

  it('removes an entry in a berth network that no container holds', () => {
    const other = { ...container('plain', []), labels: {}, networks: [{ name: 'public6', networkId: 'id-public6', ipv6: '2001:db8:1::8888:99' }] };
    const result = plan([other], { proxies: proxies('2001:db8:1::8888:25', '2001:db8:1::8888:99', '2001:db8:9::1') });
    // :99 is held by a container berth did not start; 2001:db8:9::1 is outside every berth network.
    assert.deepEqual(result.actions, [{ type: 'remove-proxy', address: '2001:db8:1::8888:25', iface: 'eth0' }]);
  });

  it('creates a missing network, and names a container still pointing at the removed one', () => {
    const started = container('web', [WEB], { networkId: 'old-id' });
    const result = plan([started], { networks: new Map(), proxies: proxies('2001:db8:1::8888:20') });
    assert.deepEqual(result.actions, [{ type: 'create-network', network: 'public6', for: ['web'] }]);
    assert.equal(result.findings.length, 1);
    assert.match(result.findings[0]?.problem ?? '', /points at a removed network's id for public6/);
    assert.match(result.findings[0]?.fix ?? '', /berth run --replace web .*docker network connect --ip6 2001:db8:1::8888:20 public6 web/);
  });

  it('runs the provider of a volume whose source is gone, and says when there is none', () => {
    const nfs: Held = { kind: 'volume', need: 'data', host: 'nfs', source: '/mnt/nfs' };
    const pages: Held = { kind: 'volume', need: 'pages', host: 'pages', source: '/srv/www' };
    const result = plan([container('web', [nfs, pages])], { directories: new Map([['/mnt/nfs', false], ['/srv/www', false]]) });
    assert.deepEqual(result.actions, [{ type: 'provide-volume', volume: 'nfs', for: ['web'] }]);
    assert.match(result.findings[0]?.problem ?? '', /volume pages: its source \/srv\/www is missing, and .* gives it no provider/);
  });

  it('reports drift and does not restore what drifted', () => {
    const moved = host(HOST.replace('ipv6: 2001:db8:1::8888:20', 'ipv6: 2001:db8:1::8888:21'));
    const result = plan([container('web', [WEB])], {}, moved);
    assert.deepEqual(result.actions, []);
    assert.match(result.findings[0]?.problem ?? '', /address web is now 2001:db8:1::8888:21 on public6 .* the container holds 2001:db8:1::8888:20/);
  });

  it('acts on nothing of a container with untrusted labels, and says so', () => {
    const forged = container('web', [WEB], { networks: [{ name: 'public6', networkId: 'id-public6', ipv6: '2001:db8:1::8888:77' }] });
    const result = plan([forged]);
    assert.deepEqual(result.actions, []);
    assert.match(result.findings[0]?.problem ?? '', /cannot be trusted: label berth\.run\.address\.web says 2001:db8:1::8888:20 on public6, but the container has 2001:db8:1::8888:77/);
  });

  it('leaves containers of another host file alone, trusted or not', () => {
    assert.deepEqual(plan([container('web', [WEB], { hostFile: '/other.yaml' })]), { actions: [], findings: [] });
    const forged = container('web', [WEB], { hostFile: '/other.yaml', networks: [] });
    assert.deepEqual(plan([forged]), { actions: [], findings: [] });
  });
});

describe('viewContainer', () => {
  const config = host();

  it('shows what each need holds and whether its proxy entry is there', () => {
    const pages: Held = { kind: 'volume', need: 'pages', host: 'pages', source: '/srv/www' };
    const view = viewContainer(container('web', [WEB, pages, { kind: 'network', need: 'backend', host: 'backend' }]), HOST_FILE, config, proxies());
    assert.deepEqual(view.problems, []);
    assert.deepEqual(view.drift, []);
    assert.deepEqual(view.holdings.map((h) => [h.text, h.proxy?.present]), [
      ['2001:db8:1::8888:20 on public6', false],
      ['network backend', undefined],
      ['/srv/www', undefined],
    ]);
  });

  const drifts: [string, string, Held, RegExp][] = [
    ['an address gone', HOST.replace(/  web:\n.*\n.*\n/, ''), WEB, /^address\.web: address web is no longer in/],
    ['a proxy interface changed', HOST.replace('ndp-proxy: eth0', 'ndp-proxy: eth1'), WEB, /network public6 now answers NDP on eth1 .* kept an entry on eth0/],
    ['a source changed', HOST.replace('source: /srv/www', 'source: /srv/www2'), { kind: 'volume', need: 'pages', host: 'pages', source: '/srv/www' }, /volume pages is now \/srv\/www2 .* mounts \/srv\/www/],
    ['a network gone', HOST.replace(/  backend:\n.*\n/, ''), { kind: 'network', need: 'backend', host: 'backend' }, /^network\.backend: network backend is no longer in/],
    ['a literal moved off its network', HOST, { kind: 'address', need: '2001:db8:3::1', network: 'public6', ipv6: '2001:db8:3::1' }, /2001:db8:3::1 is on no network in/],
  ];
  for (const [what, text, held, message] of drifts) {
    it(`shows drift: ${what}`, () => {
      const view = viewContainer(container('web', [held]), HOST_FILE, host(text), proxies());
      assert.equal(view.drift.length, 1, JSON.stringify(view.drift));
      assert.match(`${view.drift[0]?.need}: ${view.drift[0]?.message}`, message);
    });
  }

  it('says a container without run labels was not started by berth', () => {
    const view = viewContainer({ ...container('plain', []), labels: { 'berth.schema': '1' } }, HOST_FILE, config, proxies());
    assert.match(view.problems.join(), /berth did not start it/);
  });
});
