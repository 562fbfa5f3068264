import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  doctorChecks,
  doctorPassed,
  type Check,
  type DoctorFacts,
  type DoctorNetwork,
  type EngineFacts,
  type HostFileFacts,
} from '../../../src/core/doctor/checks.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import { error, warning } from '../../../src/core/problem.js';

const FILE = '/etc/berth/host.yaml';

const HOST = `
networks:
  public6:
    subnet6: 2001:db8:1::8888:0/112
    ndp-proxy: eth0
  dual:
    subnet6: 2001:db8:2::/64
    subnet4: 192.0.2.0/24
volumes:
  webpages:
    source: /srv/www
  cache:
    volume: web-cache
  nfs:
    source: /mnt/nfs
    provider: [/etc/berth/providers/nfs, --server, nas1]
providers:
  address: [/etc/berth/providers/any-address]
`;

function valid(text = HOST): HostFileFacts {
  const { config, problems } = parseHostConfig(text, FILE);
  assert.ok(config, JSON.stringify(problems));
  return { path: FILE, state: 'valid', config, warnings: [] };
}

function reachable(networks: Record<string, DoctorNetwork> = {}, volumes: Record<string, boolean> = {}): EngineFacts {
  return {
    name: 'docker',
    state: 'reachable',
    version: '20.10.24',
    networks: new Map(Object.entries({ bridge: { ipv6: false, subnets: ['172.17.0.0/16'] }, ...networks })),
    volumes: new Map(Object.entries({ 'web-cache': true, ...volumes })),
  };
}

function facts(overrides: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    engine: reachable(),
    host: valid(),
    ipv6Forwarding: true,
    ip6tables: '/usr/sbin/ip6tables',
    interfaces: new Map([['eth0', { state: 'present', proxyNdp: true }]]),
    directories: new Map([
      ['/srv/www', { ok: true, realPath: '/srv/www' }],
      ['/mnt/nfs', { ok: false, reason: 'does not exist' }],
    ]),
    executables: new Map([
      ['/etc/berth/providers/nfs', { ok: true }],
      ['/etc/berth/providers/any-address', { ok: true }],
    ]),
    ...overrides,
  };
}

function check(checks: readonly Check[], title: string): Check {
  const found = checks.find((c) => c.title === title);
  assert.ok(found, `no check "${title}" among: ${checks.map((c) => c.title).join(', ')}`);
  return found;
}

interface Case {
  readonly name: string;
  readonly facts: DoctorFacts;
  readonly title: string;
  readonly ok: boolean | 'skipped';
  readonly detail?: RegExp;
  readonly fix?: RegExp;
}

function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const found = check(doctorChecks(c.facts), c.title);
      assert.equal(found.ok, c.ok, JSON.stringify(found));
      if (c.detail) assert.match(found.detail ?? '', c.detail);
      if (c.fix) assert.match(found.fix ?? '', c.fix);
      if (c.ok !== false) assert.equal(found.fix, undefined);
    });
  }
}

const PUBLIC6 = '2001:db8:1::8888:0/112';

describe('doctor: engine', () => {
  runCases([
    { name: 'reachable: its version', facts: facts(), title: 'engine', ok: true, detail: /^docker 20\.10\.24$/ },
    {
      name: 'unreachable: the engine\'s words, start it or point DOCKER_HOST elsewhere',
      facts: facts({ engine: { name: 'docker', state: 'unreachable', reason: 'Cannot connect to the Docker daemon at unix:///x.sock' } }),
      title: 'engine', ok: false, detail: /cannot reach the docker engine: Cannot connect .*x\.sock/, fix: /DOCKER_HOST/,
    },
    {
      name: 'podman unreachable: the podman connection',
      facts: facts({ engine: { name: 'podman', state: 'unreachable', reason: 'unable to connect to Podman' } }),
      title: 'engine', ok: false, detail: /podman engine/, fix: /podman system connection/,
    },
    {
      name: 'CLI missing: install it',
      facts: facts({ engine: { name: 'docker', state: 'missing', reason: 'not found on PATH' } }),
      title: 'engine', ok: false, detail: /cannot run the docker CLI: not found on PATH/, fix: /apt-get install -y docker\.io/,
    },
  ]);
});

describe('doctor: host file', () => {
  runCases([
    { name: 'valid: what it declares', facts: facts(), title: 'host file', ok: true, detail: /host\.yaml: 2 networks, 0 addresses, 3 volumes$/ },
    {
      name: 'unreadable, missing: create it or point elsewhere',
      facts: facts({ host: { path: FILE, state: 'unreadable', failure: 'missing', reason: 'no such file' } }),
      title: 'host file', ok: false, detail: /cannot read \/etc\/berth\/host\.yaml: no such file/, fix: /--host-config or \$BERTH_HOST_CONFIG/,
    },
    {
      name: 'unreadable, denied: let this user read it',
      facts: facts({ host: { path: FILE, state: 'unreadable', failure: 'denied', reason: 'permission denied' } }),
      title: 'host file', ok: false, fix: /let this user read it/,
    },
    {
      name: 'unreadable, a directory: the file itself',
      facts: facts({ host: { path: '/etc/berth', state: 'unreadable', failure: 'directory', reason: 'it is a directory' } }),
      title: 'host file', ok: false, fix: /the file itself/,
    },
    {
      name: 'invalid: counts its errors, berth check shows the same',
      facts: facts({
        host: {
          path: FILE,
          state: 'invalid',
          problems: [
            error({ file: FILE, line: 3, column: 5 }, 'host.unknown-key', 'unknown key "colour"'),
            warning({ file: FILE, line: 1, column: 1 }, 'host.x', 'a warning'),
          ],
        },
      }),
      title: 'host file', ok: false, detail: /is invalid: 1 error$/, fix: /berth check --host-config \/etc\/berth\/host\.yaml/,
    },
  ]);

  it('invalid: every problem as FILE:LINE:COL, sorted', () => {
    const problems = [
      error({ file: FILE, line: 7, column: 13 }, 'host.relative', 'relative path'),
      error({ file: FILE, line: 3, column: 5 }, 'host.unknown-key', 'unknown key "colour"'),
    ];
    const found = check(doctorChecks(facts({ host: { path: FILE, state: 'invalid', problems } })), 'host file');
    assert.deepEqual(found.lines, [
      `${FILE}:3:5: error: unknown key "colour"`,
      `${FILE}:7:13: error: relative path`,
    ]);
  });

  it('valid with warnings: ✓, the warnings listed under it', () => {
    const host = valid();
    assert.equal(host.state, 'valid');
    const found = check(
      doctorChecks(facts({ host: { ...host, warnings: [warning({ file: FILE, line: 2, column: 3 }, 'host.w', 'odd')] } })),
      'host file',
    );
    assert.equal(found.ok, true);
    assert.match(found.detail ?? '', /, 1 warning$/);
    assert.deepEqual(found.lines, [`${FILE}:2:3: warning: odd`]);
  });

  for (const state of ['invalid', 'unreadable'] as const) {
    it(`${state}: host-dependent checks are skipped, not passed; the others still run`, () => {
      const host: HostFileFacts = state === 'invalid'
        ? { path: FILE, state, problems: [error({ file: FILE, line: 1, column: 1 }, 'x', 'bad')] }
        : { path: FILE, state, failure: 'missing', reason: 'no such file' };
      const checks = doctorChecks(facts({ host, ipv6Forwarding: false }));
      assert.deepEqual(checks.map((c) => [c.title, c.ok]), [
        ['engine', true],
        ['host file', false],
        ['networks', 'skipped'],
        ['IPv6 forwarding', false],
        ['ndp-proxy', 'skipped'],
        ['ip6tables', true],
        ['volumes', 'skipped'],
        ['providers', 'skipped'],
      ]);
      assert.match(check(checks, 'volumes').detail ?? '', new RegExp(`skipped: the host file is ${state}`));
    });
  }
});

describe('doctor: networks', () => {
  runCases([
    {
      name: 'exists with the declared subnet',
      facts: facts({ engine: reachable({ public6: { ipv6: true, subnets: [PUBLIC6] } }) }),
      title: 'network public6', ok: true, detail: /^exists with 2001:db8:1::8888:0\/112$/,
    },
    {
      name: 'exists with an extra subnet of a family the host does not declare (podman adds IPv4)',
      facts: facts({ engine: reachable({ public6: { ipv6: true, subnets: [PUBLIC6, '10.89.0.0/24'] } }) }),
      title: 'network public6', ok: true, detail: /10\.89\.0\.0\/24/,
    },
    {
      name: 'exists with another subnet of a declared family: names both, never changes it',
      facts: facts({ engine: reachable({ public6: { ipv6: true, subnets: ['2001:db8:9::/112'] } }) }),
      title: 'network public6', ok: false,
      detail: /exists with 2001:db8:9::\/112, but \/etc\/berth\/host\.yaml says 2001:db8:1::8888:0\/112/,
      fix: /host\.yaml:3:3.*docker network rm public6/,
    },
    {
      name: 'exists with an extra subnet of a declared family',
      facts: facts({ engine: reachable({ public6: { ipv6: true, subnets: [PUBLIC6, '2001:db8:9::/112'] } }) }),
      title: 'network public6', ok: false,
    },
    {
      name: 'exists without one of two declared families',
      facts: facts({ engine: reachable({ dual: { ipv6: true, subnets: ['2001:db8:2::/64'] } }) }),
      title: 'network dual', ok: false, detail: /says 2001:db8:2::\/64, 192\.0\.2\.0\/24/,
    },
    {
      name: 'exists with both declared families, in any order',
      facts: facts({ engine: reachable({ dual: { ipv6: true, subnets: ['192.0.2.0/24', '2001:db8:2::/64'] } }) }),
      title: 'network dual', ok: true,
    },
    {
      name: 'exists with the subnet but without IPv6',
      facts: facts({ engine: reachable({ public6: { ipv6: false, subnets: [PUBLIC6] } }) }),
      title: 'network public6', ok: false, detail: /without IPv6/, fix: /docker network rm public6/,
    },
    {
      name: 'absent, nothing in the way: berth run creates it',
      facts: facts(),
      title: 'network public6', ok: true, detail: /will be created by berth run \(2001:db8:1::8888:0\/112\)/,
    },
    {
      name: 'absent, an engine network overlaps it: cannot be created, names that network',
      facts: facts({ engine: reachable({ wide: { ipv6: true, subnets: ['2001:db8:1::/64'] } }) }),
      title: 'network public6', ok: false,
      detail: /cannot create it: 2001:db8:1::8888:0\/112 overlaps 2001:db8:1::\/64 of network wide/,
      fix: /host\.yaml:3:3.*docker network rm wide\)$/,
    },
    {
      name: 'absent, an IPv4 engine network overlaps its IPv4 subnet',
      facts: facts({ engine: reachable({ v4: { ipv6: false, subnets: ['192.0.2.128/25'] } }) }),
      title: 'network dual', ok: false, detail: /192\.0\.2\.0\/24 overlaps 192\.0\.2\.128\/25 of network v4/,
    },
    {
      name: 'absent, engine networks of other subnets are no obstacle',
      facts: facts({ engine: reachable({ other: { ipv6: true, subnets: ['2001:db8:3::/64', '198.51.100.0/24'] } }) }),
      title: 'network dual', ok: true, detail: /will be created by berth run/,
    },
    {
      name: 'engine unreachable: skipped',
      facts: facts({ engine: { name: 'docker', state: 'unreachable', reason: 'x' } }),
      title: 'network public6', ok: 'skipped', detail: /skipped: the engine is not reachable/,
    },
  ]);

  it('podman: the fix removes the network with podman', () => {
    const engine: EngineFacts = { ...reachable({ public6: { ipv6: true, subnets: ['2001:db8:9::/112'] } }), name: 'podman' };
    assert.match(check(doctorChecks(facts({ engine })), 'network public6').fix ?? '', /podman network rm public6/);
  });
});

describe('doctor: IPv6 forwarding', () => {
  runCases([
    { name: 'on', facts: facts(), title: 'IPv6 forwarding', ok: true, detail: /^on/ },
    {
      name: 'off with an IPv6 network: the sysctl fix',
      facts: facts({ ipv6Forwarding: false }),
      title: 'IPv6 forwarding', ok: false, detail: /^off/, fix: /^sysctl -w net\.ipv6\.conf\.all\.forwarding=1/,
    },
    {
      name: 'off when no network declares subnet6: not needed',
      facts: facts({ ipv6Forwarding: false, host: valid('networks:\n  v4:\n    subnet4: 192.0.2.0/24\n') }),
      title: 'IPv6 forwarding', ok: true, detail: /not needed/,
    },
  ]);
});

describe('doctor: ndp-proxy', () => {
  runCases([
    { name: 'interface present, proxy_ndp on', facts: facts(), title: 'ndp-proxy eth0', ok: true, detail: /network public6; proxy_ndp is on/ },
    {
      name: 'proxy_ndp off: the sysctl fix for that interface',
      facts: facts({ interfaces: new Map([['eth0', { state: 'present', proxyNdp: false }]]) }),
      title: 'ndp-proxy eth0', ok: false, detail: /proxy_ndp is off/, fix: /^sysctl -w net\.ipv6\.conf\.eth0\.proxy_ndp=1/,
    },
    {
      name: 'no IPv6 settings on the interface',
      facts: facts({ interfaces: new Map([['eth0', { state: 'present', proxyNdp: undefined }]]) }),
      title: 'ndp-proxy eth0', ok: false, detail: /no IPv6 settings/, fix: /disable_ipv6=0/,
    },
    {
      name: 'interface missing: names the entry',
      facts: facts({ interfaces: new Map([['eth0', { state: 'missing' }]]) }),
      title: 'ndp-proxy eth0', ok: false, detail: /interface eth0 \(for network public6\) does not exist/, fix: /host\.yaml:3:3/,
    },
    {
      name: 'interface cannot be looked up',
      facts: facts({ interfaces: new Map([['eth0', { state: 'unknown', reason: 'cannot run ip' }]]) }),
      title: 'ndp-proxy eth0', ok: false, detail: /cannot run ip/, fix: /iproute2/,
    },
    {
      name: 'an interface name with a dot: the slash form of the sysctl key',
      facts: facts({
        host: valid('networks:\n  n:\n    subnet6: 2001:db8::/64\n    ndp-proxy: eth0.100\n'),
        interfaces: new Map([['eth0.100', { state: 'present', proxyNdp: false }]]),
      }),
      title: 'ndp-proxy eth0.100', ok: false, fix: /^sysctl -w net\/ipv6\/conf\/eth0\.100\/proxy_ndp=1/,
    },
  ]);

  it('one check per interface, naming every network on it', () => {
    const host = valid('networks:\n  a:\n    subnet6: 2001:db8:a::/64\n    ndp-proxy: eth0\n  b:\n    subnet6: 2001:db8:b::/64\n    ndp-proxy: eth0\n');
    const checks = doctorChecks(facts({ host }));
    assert.equal(checks.filter((c) => c.title.startsWith('ndp-proxy')).length, 1);
    assert.match(check(checks, 'ndp-proxy eth0').detail ?? '', /networks a, b/);
  });

  it('no ndp-proxy in the host file: no such check', () => {
    const checks = doctorChecks(facts({ host: valid('networks:\n  n:\n    subnet6: 2001:db8::/64\n') }));
    assert.deepEqual(checks.filter((c) => c.title.startsWith('ndp-proxy')), []);
  });
});

describe('doctor: ip6tables', () => {
  runCases([
    { name: 'found: where', facts: facts(), title: 'ip6tables', ok: true, detail: /^\/usr\/sbin\/ip6tables$/ },
    {
      name: 'not found: the apt fix',
      facts: (() => { const { ip6tables: _, ...rest } = facts(); return rest; })(),
      title: 'ip6tables', ok: false, detail: /not found/, fix: /^apt-get install -y iptables$/,
    },
  ]);
});

describe('doctor: volumes', () => {
  runCases([
    { name: 'source a directory', facts: facts(), title: 'volume webpages', ok: true, detail: /^source \/srv\/www is a directory$/ },
    {
      name: 'source through a symlink: shows where it leads',
      facts: facts({ directories: new Map([['/srv/www', { ok: true, realPath: '/data/www' }], ['/mnt/nfs', { ok: true, realPath: '/mnt/nfs' }]]) }),
      title: 'volume webpages', ok: true, detail: /\/srv\/www \(\/data\/www\) is a directory/,
    },
    {
      name: 'source through a symlink, with follow-symlinks: false: refused as berth run would',
      facts: facts({
        host: valid('volumes:\n  webpages:\n    source: /srv/www\n    follow-symlinks: false\n'),
        directories: new Map([['/srv/www', { ok: true, realPath: '/data/www', symlink: '/srv' }]]),
      }),
      title: 'volume webpages', ok: false, detail: /^source \/srv\/www goes through the symbolic link \/srv, and follow-symlinks: false refuses it$/, fix: /real path, \/data\/www \(/,
    },
    {
      name: 'source missing: mkdir or a provider',
      facts: facts({ directories: new Map([['/srv/www', { ok: false, reason: 'does not exist' }]]) }),
      title: 'volume webpages', ok: false, detail: /^source \/srv\/www does not exist$/, fix: /^mkdir -p \/srv\/www, or give the volume a provider \(\/etc\/berth\/host\.yaml:10:3\)/,
    },
    {
      name: 'source a file: make it a directory',
      facts: facts({ directories: new Map([['/srv/www', { ok: false, reason: 'is not a directory' }]]) }),
      title: 'volume webpages', ok: false, detail: /is not a directory/, fix: /make \/srv\/www a directory/,
    },
    {
      name: 'source missing, but it has a provider',
      facts: facts(),
      title: 'volume nfs', ok: true, detail: /does not exist; its provider will make it/,
    },
    { name: 'docker volume exists', facts: facts(), title: 'volume cache', ok: true, detail: /^docker volume web-cache exists$/ },
    {
      name: 'docker volume missing: berth never creates it',
      facts: facts({ engine: reachable({}, { 'web-cache': false }) }),
      title: 'volume cache', ok: false, detail: /does not exist/, fix: /^docker volume create web-cache, or give the volume a provider/,
    },
    {
      name: 'docker volume missing, but it has a provider',
      facts: facts({
        host: valid('volumes:\n  cache:\n    volume: web-cache\n    provider: [/p]\n'),
        engine: reachable({}, { 'web-cache': false }),
        executables: new Map([['/p', { ok: true }]]),
      }),
      title: 'volume cache', ok: true, detail: /missing; its provider will make it/,
    },
    {
      name: 'docker volume, engine unreachable: skipped',
      facts: facts({ engine: { name: 'docker', state: 'unreachable', reason: 'x' } }),
      title: 'volume cache', ok: 'skipped', detail: /skipped/,
    },
  ]);
});

describe('doctor: providers', () => {
  runCases([
    { name: 'an entry\'s provider, executable', facts: facts(), title: 'provider of volume nfs', ok: true, detail: /\/etc\/berth\/providers\/nfs is executable/ },
    { name: 'providers.KIND, executable', facts: facts(), title: 'providers.address', ok: true },
    {
      name: 'not executable: chmod +x',
      facts: facts({ executables: new Map([['/etc/berth/providers/nfs', { ok: false, problem: 'not-executable', reason: 'is not executable' }]]) }),
      title: 'provider of volume nfs', ok: false, detail: /is not executable/, fix: /^chmod \+x \/etc\/berth\/providers\/nfs$/,
    },
    {
      name: 'missing: names the entry',
      facts: facts({ executables: new Map([['/etc/berth/providers/any-address', { ok: false, problem: 'missing', reason: 'does not exist' }]]) }),
      title: 'providers.address', ok: false, detail: /does not exist/, fix: /providers\.address in \/etc\/berth\/host\.yaml/,
    },
    {
      name: 'a directory, not a file',
      facts: facts({ executables: new Map([['/etc/berth/providers/nfs', { ok: false, problem: 'not-a-file', reason: 'is not a file' }]]) }),
      title: 'provider of volume nfs', ok: false, detail: /is not a file/, fix: /host\.yaml:14:3/,
    },
  ]);
});

describe('doctor: outcome', () => {
  it('a healthy set-up passes, every check ✓', () => {
    const checks = doctorChecks(facts({ engine: reachable({ public6: { ipv6: true, subnets: [PUBLIC6] } }) }));
    assert.deepEqual(checks.filter((c) => c.ok !== true), []);
    assert.equal(doctorPassed(checks), true);
  });

  it('skipped checks do not fail it; one ✗ does', () => {
    assert.equal(doctorPassed([{ ok: true, title: 'a' }, { ok: 'skipped', title: 'b' }]), true);
    assert.equal(doctorPassed([{ ok: true, title: 'a' }, { ok: false, title: 'b' }]), false);
  });

  it('checks come in a fixed order: engine, host file, networks, forwarding, ndp, ip6tables, volumes, providers', () => {
    assert.deepEqual(doctorChecks(facts()).map((c) => c.title), [
      'engine', 'host file', 'network public6', 'network dual', 'IPv6 forwarding', 'ndp-proxy eth0', 'ip6tables',
      'volume webpages', 'volume cache', 'volume nfs', 'provider of volume nfs', 'providers.address',
    ]);
  });
});
