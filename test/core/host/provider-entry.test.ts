import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { configData } from '../../../src/core/host/config-data.js';
import type { HostConfig } from '../../../src/core/host/host-config.js';
import { checkHostValue, parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import { withProviderEntry } from '../../../src/core/host/provider-entry.js';
import type { NeedKindName } from '../../../src/core/needs/need.js';

const HOST = `networks:
  public6:
    subnet6: 2001:db8:1::/112
    subnet4: 192.0.2.0/24
addresses:
  webserver:
    network: public6
    ipv6: 2001:db8:1::20
    images: ["registry.example.com/web:*"]
volumes:
  cache:
    volume: web-cache
`;
const PROVIDER = 'output of provider /p';

function host(): HostConfig {
  const { config, problems } = parseHostConfig(HOST, '/etc/berth/host.yaml');
  assert.ok(config, JSON.stringify(problems));
  return config;
}

describe('configData', () => {
  it('gives back the file\'s own form: read again, it is the same config', async () => {
    const withoutPositions = (c: HostConfig | undefined) => JSON.parse(JSON.stringify(c, (key, value: unknown) => (key === 'at' ? undefined : value instanceof Map ? [...value] : value))) as unknown;
    const files = {
      'fixtures/host/valid/host.yaml': await readFile('fixtures/host/valid/host.yaml', 'utf8'),
      'seeded.yaml': 'volumes:\n  seeded:\n    volume: seed\n    copy-up: true\n  plain:\n    volume: plain\n    copy-up: false\n  strict:\n    source: /srv/strict\n    follow-symlinks: false\n  loose:\n    source: /srv/loose\n    follow-symlinks: true\n',
    };
    for (const [file, text] of Object.entries(files)) {
      const { config } = parseHostConfig(text, file);
      assert.ok(config, file);
      const again = checkHostValue(configData(config), file, () => ({ file, line: 1, column: 1 })).config;
      assert.deepEqual(withoutPositions(again), withoutPositions(config), file);
    }
  });
});

describe('withProviderEntry', () => {
  const refused: ReadonlyArray<readonly [string, NeedKindName, string, unknown, string, RegExp]> = [
    ['an address another name holds (whose images: exclude this image)', 'address', 'guest', { network: 'public6', ipv6: '2001:db8:1::20' }, 'host.duplicate-address', /addresses\.guest\.ipv6: 2001:db8:1::20 is already the address of "webserver" \(line 6\)/],
    ['the same address written another way', 'address', 'guest', { network: 'public6', ipv6: '2001:0db8:1:0::0020' }, 'host.duplicate-address', /already the address of "webserver"/],
    ['an address outside its network', 'address', 'guest', { network: 'public6', ipv4: '198.51.100.1' }, 'host.address-outside-subnet', /outside subnet4 192\.0\.2\.0\/24/],
    ['an address on a network the file does not declare', 'address', 'guest', { network: 'elsewhere', ipv6: '2001:db8:2::1' }, 'host.unknown-network', /no network "elsewhere"/],
    ['a network whose subnet overlaps another', 'network', 'wide', { subnet6: '2001:db8::/32' }, 'host.overlapping-subnets', /networks\.wide\.subnet6: 2001:db8::\/32 overlaps 2001:db8:1::\/112 of network "public6" \(line 2\)/],
    ['a relative source', 'volume', 'pages', { source: 'srv/pages' }, 'host.relative-path', /volumes\.pages\.source must be an absolute path/],
    ['a source with a volume', 'volume', 'pages', { source: '/srv/pages', volume: 'pages' }, 'host.volume-source-and-volume', /pages/],
    ['copy-up on a source', 'volume', 'pages', { source: '/srv/pages', 'copy-up': true }, 'host.copy-up-on-source', /copy-up applies only/],
    ['a key the file does not know', 'volume', 'pages', { source: '/srv/pages', options: 'rw' }, 'host.unknown-key', /unknown key "options"/],
  ];
  for (const [what, kind, name, entry, code, message] of refused) {
    it(`refuses ${what}, at the provider`, () => {
      const { config, problems } = withProviderEntry(host(), kind, name, entry, PROVIDER);
      assert.equal(config, undefined);
      const errors = problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors.map((p) => [p.code, p.file]), [[code, PROVIDER]]);
      assert.match(errors[0]?.message ?? '', message);
    });
  }

  it('merges an entry that agrees with the file, keeping the file\'s entries and positions', () => {
    const before = host();
    const { config } = withProviderEntry(before, 'address', 'guest', { network: 'public6', ipv6: '2001:db8:1::21' }, PROVIDER);
    assert.ok(config);
    assert.equal(config.file, '/etc/berth/host.yaml');
    assert.deepEqual(config.addresses.get('guest'), { name: 'guest', network: 'public6', ipv6: '2001:db8:1::21', at: { file: PROVIDER, line: 1, column: 1 } });
    assert.deepEqual(config.addresses.get('webserver'), before.addresses.get('webserver'));
    assert.deepEqual(config.volumes.get('cache'), before.volumes.get('cache'));
  });

  it('checks a second provider\'s entry against the first one\'s', () => {
    const first = withProviderEntry(host(), 'network', 'backend', { subnet4: '198.51.100.0/24' }, PROVIDER).config;
    assert.ok(first);
    const second = withProviderEntry(first, 'network', 'other', { subnet4: '198.51.100.128/25' }, 'output of provider /q');
    assert.deepEqual(second.problems.map((p) => [p.code, p.file]), [['host.overlapping-subnets', 'output of provider /q']]);
  });
});
