import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import { formatProblems } from '../../../src/core/problem.js';

/** `[code, line, column]` of each problem, in the order reported. */
type Expected = readonly (readonly [string, number, number])[];

function found(yaml: string): Expected {
  return parseHostConfig(yaml, 'host.yaml').problems.map((p) => [p.code, p.line, p.column] as const);
}

const NET = 'networks:\n  public6:\n    subnet6: 2001:db8:1::/64\n    subnet4: 192.0.2.0/24\n';

const cases: readonly { name: string; yaml: string; expected: Expected }[] = [
  { name: 'empty file', yaml: '', expected: [] },
  { name: 'comments only', yaml: '# nothing here yet\n', expected: [] },
  { name: 'explicit null document', yaml: '~\n', expected: [] },
  { name: 'empty sections', yaml: 'networks: {}\naddresses: {}\nvolumes: {}\nproviders: {}\n', expected: [] },
  { name: 'CRLF line ends', yaml: NET.replaceAll('\n', '\r\n'), expected: [] },
  { name: 'a list is not a mapping', yaml: '- a\n- b\n', expected: [['host.not-a-mapping', 1, 1]] },
  { name: 'a scalar is not a mapping', yaml: '\n\nhello\n', expected: [['host.not-a-mapping', 3, 1]] },
  { name: 'unknown top-level key', yaml: 'network: {}\n', expected: [['host.unknown-key', 1, 1]] },
  {
    name: 'unknown key points at the key',
    yaml: 'networks:\n  n:\n    subnet6: 2001:db8::/64\n    mtu: "1500"\n',
    expected: [['host.unknown-key', 4, 5]],
  },
  {
    name: 'unknown key under an alias points at the anchored mapping',
    yaml: 'base: &b\n  subnet6: 2001:db8::/64\n  typo: 1\nnetworks:\n  n: *b\n',
    expected: [
      ['host.unknown-key', 1, 1],
      ['host.unknown-key', 3, 3],
    ],
  },
  { name: 'YAML syntax error', yaml: 'networks:\n  n: [1,\n', expected: [['host.yaml-syntax', 3, 1]] },
  { name: 'tab indentation', yaml: 'networks:\n\tn: {}\n', expected: [['host.yaml-syntax', 2, 1]] },
  { name: 'two documents', yaml: 'networks: {}\n---\nvolumes: {}\n', expected: [['host.yaml-syntax', 2, 1]] },
  { name: 'unresolved tag', yaml: 'provider-timeout: !seconds 5\n', expected: [['host.yaml-syntax', 1, 19]] },
  {
    name: 'duplicate keys, at every depth',
    yaml: 'volumes:\n  a:\n    source: /x\n    source: /y\nvolumes: {}\n',
    expected: [
      ['host.duplicate-key', 4, 5],
      ['host.duplicate-key', 5, 1],
    ],
  },
  { name: 'invalid network name', yaml: 'networks:\n  "a b":\n    subnet6: 2001:db8::/64\n', expected: [['host.invalid-name', 2, 3]] },
  { name: 'name of 65 characters', yaml: `volumes:\n  ${'v'.repeat(65)}: {source: /x}\n`, expected: [['host.invalid-name', 2, 3]] },
  { name: 'name of 64 characters', yaml: `volumes:\n  ${'v'.repeat(64)}: {source: /x}\n`, expected: [] },
  { name: 'network without subnets', yaml: 'networks:\n  n:\n    ndp-proxy: eth0\n', expected: [['host.network-without-subnet', 2, 3]] },
  { name: 'network entry left empty', yaml: 'networks:\n  n:\n', expected: [['host.wrong-type', 2, 3]] },
  { name: 'section that is a list', yaml: 'volumes:\n  - a\n', expected: [['host.wrong-type', 2, 3]] },
  { name: 'subnet without prefix', yaml: 'networks:\n  n:\n    subnet6: 2001:db8::1\n', expected: [['host.invalid-subnet', 3, 14]] },
  { name: 'unquoted value ending in a colon', yaml: 'networks:\n  n:\n    subnet6: 2001:db8::\n', expected: [['host.yaml-syntax', 3, 14]] },
  { name: 'quoted value ending in a colon', yaml: 'networks:\n  n:\n    subnet6: "2001:db8::"\n', expected: [['host.invalid-subnet', 3, 14]] },
  { name: 'subnet prefix too long', yaml: 'networks:\n  n:\n    subnet4: 192.0.2.0/33\n', expected: [['host.invalid-subnet', 3, 14]] },
  { name: 'subnet prefix with a leading zero', yaml: 'networks:\n  n:\n    subnet4: 192.0.2.0/024\n', expected: [['host.invalid-subnet', 3, 14]] },
  { name: 'subnet of the other family', yaml: 'networks:\n  n:\n    subnet4: 2001:db8::/64\n', expected: [['host.invalid-subnet', 3, 14]] },
  { name: 'invalid subnet address', yaml: 'networks:\n  n:\n    subnet6: 2001:db8::g/64\n', expected: [['host.invalid-subnet', 3, 14]] },
  { name: 'IPv6 subnet with host bits', yaml: 'networks:\n  n:\n    subnet6: 2001:db8::1/112\n', expected: [['host.subnet-host-bits', 3, 14]] },
  { name: 'IPv4 subnet with host bits', yaml: 'networks:\n  n:\n    subnet4: 192.0.2.1/24\n', expected: [['host.subnet-host-bits', 3, 14]] },
  { name: 'subnet written long-hand', yaml: 'networks:\n  n:\n    subnet6: 2001:0DB8:0000::0/48\n', expected: [] },
  {
    name: 'gateway outside its subnet',
    yaml: 'networks:\n  n:\n    subnet6: 2001:db8::/64\n    gateway6: 2001:db8:1::1\n',
    expected: [['host.gateway-outside-subnet', 4, 15]],
  },
  {
    name: 'gateway without a subnet of its family',
    yaml: 'networks:\n  n:\n    subnet6: 2001:db8::/64\n    gateway4: 192.0.2.1\n',
    expected: [['host.gateway-without-subnet', 4, 15]],
  },
  {
    name: 'gateway with a zone',
    yaml: 'networks:\n  n:\n    subnet6: fe80::/64\n    gateway6: fe80::1%eth0\n',
    expected: [['host.invalid-address', 4, 15]],
  },
  {
    name: 'bad interface name for the NDP proxy',
    yaml: 'networks:\n  n:\n    subnet6: 2001:db8::/64\n    ndp-proxy: a-very-long-interface\n',
    expected: [['host.invalid-value', 4, 16]],
  },
  {
    name: 'option value that is a number',
    yaml: 'networks:\n  n:\n    subnet6: 2001:db8::/64\n    options:\n      mtu: 1500\n',
    expected: [['host.wrong-type', 5, 12]],
  },
  {
    name: 'overlapping subnets, reported at the later one',
    yaml: 'networks:\n  a:\n    subnet6: 2001:db8::/48\n  b:\n    subnet6: 2001:db8:0:1::/64\n',
    expected: [['host.overlapping-subnets', 5, 14]],
  },
  {
    name: 'adjacent subnets do not overlap',
    yaml: 'networks:\n  a:\n    subnet4: 192.0.2.0/25\n  b:\n    subnet4: 192.0.2.128/25\n',
    expected: [],
  },
  { name: 'address without network', yaml: `${NET}addresses:\n  a:\n    ipv6: 2001:db8:1::20\n`, expected: [['host.missing-key', 6, 3]] },
  { name: 'address without ipv6 or ipv4', yaml: `${NET}addresses:\n  a:\n    network: public6\n`, expected: [['host.address-without-ip', 6, 3]] },
  {
    name: 'address naming an unknown network',
    yaml: `${NET}addresses:\n  a:\n    network: public7\n    ipv6: 2001:db8:1::20\n`,
    expected: [['host.unknown-network', 7, 14]],
  },
  {
    name: 'address outside its network',
    yaml: `${NET}addresses:\n  a:\n    network: public6\n    ipv6: 2001:db8:2::20\n    ipv4: 198.51.100.20\n`,
    expected: [
      ['host.address-outside-subnet', 8, 11],
      ['host.address-outside-subnet', 9, 11],
    ],
  },
  {
    name: 'ipv4 on a network without subnet4',
    yaml: 'networks:\n  n:\n    subnet6: 2001:db8::/64\naddresses:\n  a:\n    network: n\n    ipv4: 192.0.2.20\n',
    expected: [['host.network-lacks-family', 7, 11]],
  },
  {
    name: 'ipv6 on a network without subnet6',
    yaml: 'networks:\n  n:\n    subnet4: 192.0.2.0/24\naddresses:\n  a:\n    network: n\n    ipv6: 2001:db8::20\n',
    expected: [['host.network-lacks-family', 7, 11]],
  },
  {
    name: 'no cascade when the network subnet itself is invalid',
    yaml: 'networks:\n  n:\n    subnet6: 2001:db8::1/64\naddresses:\n  a:\n    network: n\n    ipv6: 2001:db8::20\n',
    expected: [['host.subnet-host-bits', 3, 14]],
  },
  {
    name: 'the same address under two names, compared canonically',
    yaml: `${NET}addresses:\n  a:\n    network: public6\n    ipv6: 2001:db8:1::20\n  b:\n    network: public6\n    ipv6: 2001:DB8:1:0:0:0:0:0020\n`,
    expected: [['host.duplicate-address', 11, 11]],
  },
  {
    name: 'address that is the gateway',
    yaml: 'networks:\n  n:\n    subnet4: 192.0.2.0/24\n    gateway4: 192.0.2.1\naddresses:\n  a:\n    network: n\n    ipv4: 192.0.2.1\n',
    expected: [['host.address-is-gateway', 8, 11]],
  },
  { name: 'address with a prefix', yaml: `${NET}addresses:\n  a:\n    network: public6\n    ipv6: 2001:db8:1::20/64\n`, expected: [['host.invalid-address', 8, 11]] },
  { name: 'IPv4 address as ipv6', yaml: `${NET}addresses:\n  a:\n    network: public6\n    ipv6: 192.0.2.20\n`, expected: [['host.invalid-address', 8, 11]] },
  { name: 'IPv4 address with leading zero', yaml: `${NET}addresses:\n  a:\n    network: public6\n    ipv4: 192.0.2.020\n`, expected: [['host.invalid-address', 8, 11]] },
  { name: 'not an address', yaml: `${NET}addresses:\n  a:\n    network: public6\n    ipv6: webserver\n`, expected: [['host.invalid-address', 8, 11]] },
  { name: 'empty image pattern', yaml: `${NET}addresses:\n  a:\n    network: public6\n    ipv4: 192.0.2.9\n    images: [""]\n`, expected: [['host.invalid-value', 9, 14]] },
  {
    name: 'volume with both source and volume',
    yaml: 'volumes:\n  v:\n    source: /srv/v\n    volume: vv\n',
    expected: [['host.volume-source-and-volume', 2, 3]],
  },
  { name: 'volume with neither', yaml: 'volumes:\n  v:\n    readonly: true\n', expected: [['host.volume-without-source', 2, 3]] },
  { name: 'relative source', yaml: 'volumes:\n  v:\n    source: srv/v\n', expected: [['host.relative-path', 3, 13]] },
  { name: 'one-letter docker volume name', yaml: 'volumes:\n  v:\n    volume: x\n', expected: [['host.invalid-value', 3, 13]] },
  { name: 'readonly: yes is a string in YAML 1.2', yaml: 'volumes:\n  v:\n    source: /v\n    readonly: yes\n', expected: [['host.wrong-type', 4, 15]] },
  { name: 'copy-up on a named volume', yaml: 'volumes:\n  v:\n    volume: vv\n    copy-up: true\n', expected: [] },
  { name: 'copy-up on a host directory, which no engine copies into', yaml: 'volumes:\n  v:\n    source: /v\n    copy-up: false\n', expected: [['host.copy-up-on-source', 4, 14]] },
  { name: 'copy-up that is a string', yaml: 'volumes:\n  v:\n    volume: vv\n    copy-up: "yes"\n', expected: [['host.wrong-type', 4, 14]] },
  { name: 'follow-symlinks: false on a host directory', yaml: 'volumes:\n  v:\n    source: /v\n    follow-symlinks: false\n', expected: [] },
  { name: 'follow-symlinks on a named volume, whose path is the engine\'s', yaml: 'volumes:\n  v:\n    volume: vv\n    follow-symlinks: false\n', expected: [['host.follow-symlinks-on-volume', 4, 22]] },
  { name: 'empty provider argv', yaml: 'volumes:\n  v:\n    volume: vv\n    provider: []\n', expected: [['host.empty-argv', 4, 15]] },
  {
    name: 'relative provider executable',
    yaml: 'volumes:\n  v:\n    volume: vv\n    provider:\n      - nfs-provider\n      - --server\n',
    expected: [['host.relative-path', 5, 9]],
  },
  { name: 'provider argument that is not a string', yaml: 'providers:\n  volume: [/p, 3]\n', expected: [['host.wrong-type', 2, 16]] },
  { name: 'unknown provider kind', yaml: 'providers:\n  image: [/p]\n', expected: [['host.unknown-key', 2, 3]] },
  { name: 'provider that is a string', yaml: 'providers:\n  volume: /p\n', expected: [['host.wrong-type', 2, 11]] },
  { name: 'zero provider timeout', yaml: 'provider-timeout: 0\n', expected: [['host.invalid-value', 1, 19]] },
  { name: 'negative provider timeout', yaml: 'provider-timeout: -5\n', expected: [['host.invalid-value', 1, 19]] },
  { name: 'huge provider timeout', yaml: 'provider-timeout: 1e9\n', expected: [['host.invalid-value', 1, 19]] },
  { name: 'fractional provider timeout', yaml: 'provider-timeout: 2.5\n', expected: [] },
  { name: 'provider timeout as text', yaml: 'provider-timeout: "60"\n', expected: [['host.wrong-type', 1, 19]] },
  {
    name: 'every problem is collected',
    yaml: 'networks:\n  n:\n    subnet6: 2001:db8::1/64\nvolumes:\n  v:\n    source: v\nextra: 1\n',
    expected: [
      ['host.subnet-host-bits', 3, 14],
      ['host.relative-path', 6, 13],
      ['host.unknown-key', 7, 1],
    ],
  },
];

describe('parseHostConfig', () => {
  for (const { name, yaml, expected } of cases) {
    it(name, () => {
      assert.deepEqual(found(yaml), expected);
    });
  }

  it('returns a config exactly when there is no error', () => {
    for (const { yaml, expected } of cases) {
      const result = parseHostConfig(yaml, 'host.yaml');
      assert.equal(result.config !== undefined, expected.length === 0, yaml);
    }
  });

  it('gives positions in the named file', () => {
    const [problem] = parseHostConfig('\n  network: {}\n', '/etc/berth/host.yaml').problems;
    assert.deepEqual(
      { file: problem?.file, line: problem?.line, column: problem?.column, severity: problem?.severity },
      { file: '/etc/berth/host.yaml', line: 2, column: 3, severity: 'error' },
    );
  });

  it('survives an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`)].join('\n');
    const problems = parseHostConfig(bomb, 'host.yaml').problems;
    assert.equal(problems[0]?.code, 'host.yaml-syntax');
  });

  it('an empty file is an empty config with the default provider timeout', () => {
    const { config } = parseHostConfig('', 'host.yaml');
    assert.ok(config);
    assert.equal(config.networks.size + config.addresses.size + config.volumes.size, 0);
    assert.deepEqual(config.providers, {});
    assert.equal(config.providerTimeoutSeconds, 60);
    assert.equal(config.file, 'host.yaml');
  });

  it('stores addresses, subnets and gateways canonically (RFC 5952)', () => {
    const { config } = parseHostConfig(
      'networks:\n  n:\n    subnet6: 2001:0DB8:0:0:1:0:0:0/80\n    gateway6: 2001:db8::1:0:0:1\naddresses:\n  a:\n    network: n\n    ipv6: 2001:DB8:0:0:1:0:0:20\n',
      'host.yaml',
    );
    assert.deepEqual(config?.networks.get('n')?.subnet6, { family: 6, address: '2001:db8:0:0:1::', prefix: 80 });
    assert.equal(config?.networks.get('n')?.gateway6, '2001:db8::1:0:0:1');
    assert.equal(config?.addresses.get('a')?.ipv6, '2001:db8::1:0:0:20');
  });

  it('models volumes as a discriminated union', () => {
    const { config } = parseHostConfig(
      'volumes:\n  a:\n    source: /srv/a\n  b:\n    volume: bb\n    readonly: true\n    provider: [/p, x]\n',
      'host.yaml',
    );
    assert.deepEqual(config?.volumes.get('a'), {
      type: 'bind',
      source: '/srv/a',
      followSymlinks: true,
      name: 'a',
      readOnly: false,
      at: { file: 'host.yaml', line: 2, column: 3 },
    });
    assert.deepEqual(config?.volumes.get('b'), {
      type: 'docker-volume',
      volume: 'bb',
      copyUp: false,
      name: 'b',
      readOnly: true,
      provider: ['/p', 'x'],
      at: { file: 'host.yaml', line: 4, column: 3 },
    });
  });

  it('reports a collection used as a key itself, without yaml printing a warning', async () => {
    const printed: unknown[] = [];
    const onWarning = (warning: Error) => printed.push(warning.message);
    const consoleWarn = console.warn;
    process.on('warning', onWarning);
    console.warn = (...args: unknown[]) => printed.push(args.join(' '));
    try {
      const problems = parseHostConfig('networks:\n  ? [a, b]\n  : x\n', 'host.yaml').problems;
      assert.ok(problems.some((p) => p.severity === 'error' && p.line === 1), formatProblems(problems));
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on a later tick
    } finally {
      console.warn = consoleWarn;
      process.off('warning', onWarning);
    }
    assert.deepEqual(printed, []);
  });

  it('does not let names like constructor reach the prototype', () => {
    const { config } = parseHostConfig('volumes:\n  constructor:\n    source: /srv/c\n', 'host.yaml');
    assert.equal(config?.volumes.get('constructor')?.name, 'constructor');
    assert.equal(config?.volumes.get('toString'), undefined);
  });

  it('refuses __proto__ as a key', () => {
    assert.deepEqual(found('__proto__:\n  polluted: true\n'), [['host.unknown-key', 1, 1]]);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

const FIXTURES = 'fixtures/host';
const update = process.env['BERTH_UPDATE_GOLDEN'] === '1';

function modelJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v), 2)}\n`;
}

describe('host file fixtures', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, name);
    it(name, () => {
      const { config, problems } = parseHostConfig(readFileSync(join(dir, 'host.yaml'), 'utf8'), 'host.yaml');
      const diagnostics = problems.length === 0 ? '' : `${formatProblems(problems)}\n`;
      const expectedTxt = join(dir, 'expected.txt');
      const expectedJson = join(dir, 'expected.json');
      if (update) {
        writeFileSync(expectedTxt, diagnostics);
        if (config !== undefined) writeFileSync(expectedJson, modelJson(config));
      }
      assert.equal(diagnostics, readFileSync(expectedTxt, 'utf8'));
      if (existsSync(expectedJson)) assert.equal(modelJson(config), readFileSync(expectedJson, 'utf8'));
      else assert.equal(config, undefined);
    });
  }
});
