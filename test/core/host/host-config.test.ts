import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNetworkForAddress } from '../../../src/core/host/host-config.js';
import { formatSubnet, networkAddress, parseIpAddress, parseSubnet, subnetContains, subnetsOverlap, type Subnet } from '../../../src/core/ip.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';

/** RFC 5952 §4 written out independently: lower case, no leading zeros, `::` for the first longest run of 2+ zeros. */
function rfc5952(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

function toText(value: bigint): string {
  return Array.from({ length: 8 }, (_, i) => ((value >> BigInt(16 * (7 - i))) & 0xffffn).toString(16).padStart(4, '0')).join(':');
}

describe('parseIpAddress', () => {
  const cases: readonly [string, string | undefined][] = [
    ['2001:0db8:0:0::0020', '2001:db8::20'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['1:0:0:0:1:0:0:0', '1::1:0:0:0'],
    ['1:2:3:4:5:6:7:0', '1:2:3:4:5:6:7:0'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8::1/64', undefined],
    ['fe80::1%eth0', undefined],
    ['192.0.2.01', undefined],
    ['192.0.2', undefined],
    ['2001:db8:::1', undefined],
    ['webserver', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${String(expected)}`, () => {
      assert.equal(parseIpAddress(text)?.address, expected);
    });
  }

  it('gives the family', () => {
    assert.deepEqual(parseIpAddress('2001:db8::1'), { family: 6, address: '2001:db8::1' });
    assert.deepEqual(parseIpAddress('198.51.100.7'), { family: 4, address: '198.51.100.7' });
  });

  it('writes every IPv6 address as RFC 5952 says', () => {
    let seed = 5952;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 5000; n++) {
      let value = 0n;
      for (let g = 0; g < 8; g++) {
        const r = random();
        value = (value << 16n) | BigInt(r < 0.6 ? 0 : r < 0.8 ? 1 : Math.floor(random() * 0x10000));
      }
      assert.equal(parseIpAddress(toText(value))?.address, rfc5952(value), toText(value));
    }
  });
});

describe('subnets', () => {
  const six = (address: string, prefix: number): Subnet => ({ family: 6, address, prefix });
  const four = (address: string, prefix: number): Subnet => ({ family: 4, address, prefix });

  it('parseSubnet refuses host bits and missing or bad prefixes', () => {
    assert.deepEqual(parseSubnet('2001:DB8:1::8888:0/112'), six('2001:db8:1::8888:0', 112));
    assert.deepEqual(parseSubnet('192.0.2.0/24'), four('192.0.2.0', 24));
    assert.deepEqual(parseSubnet('::/0'), six('::', 0));
    for (const text of ['2001:db8::1/112', '192.0.2.1/24', '2001:db8::', '192.0.2.0/33', '2001:db8::/129', '192.0.2.0/024', '192.0.2.0/']) {
      assert.equal(parseSubnet(text), undefined, text);
    }
  });

  it('networkAddress clears the host bits', () => {
    assert.equal(networkAddress(six('2001:db8::1', 112)), '2001:db8::');
    assert.equal(networkAddress(four('192.0.2.200', 25)), '192.0.2.128');
    assert.equal(formatSubnet(six('2001:db8::', 112)), '2001:db8::/112');
  });

  it('subnetContains', () => {
    const subnet = six('2001:db8:1::8888:0', 112);
    assert.equal(subnetContains(subnet, '2001:db8:1::8888:20'), true);
    assert.equal(subnetContains(subnet, '2001:0DB8:1:0:0:0:8888:ffff'), true);
    assert.equal(subnetContains(subnet, '2001:db8:1::8889:0'), false);
    assert.equal(subnetContains(subnet, '192.0.2.1'), false);
    assert.equal(subnetContains(subnet, 'not an address'), false);
    assert.equal(subnetContains(four('0.0.0.0', 0), '203.0.113.9'), true);
    assert.equal(subnetContains(four('192.0.2.0', 24), { family: 4, address: '192.0.2.255' }), true);
    assert.equal(subnetContains(four('192.0.2.7', 32), '192.0.2.7'), true);
    assert.equal(subnetContains(four('192.0.2.7', 32), '192.0.2.8'), false);
  });

  it('subnetsOverlap', () => {
    assert.equal(subnetsOverlap(six('2001:db8::', 32), six('2001:db8:1::8888:0', 112)), true);
    assert.equal(subnetsOverlap(six('2001:db8:1::8888:0', 112), six('2001:db8::', 32)), true);
    assert.equal(subnetsOverlap(four('192.0.2.0', 25), four('192.0.2.128', 25)), false);
    assert.equal(subnetsOverlap(four('192.0.2.0', 24), six('::', 0)), false);
  });
});

describe('findNetworkForAddress', () => {
  const { config } = parseHostConfig(
    'networks:\n  public6:\n    subnet6: 2001:db8:1::8888:0/112\n    subnet4: 192.0.2.0/24\n  backend:\n    subnet4: 198.51.100.0/24\n',
    'host.yaml',
  );
  assert.ok(config);

  it('finds the network whose subnet holds a literal address, of either family', () => {
    assert.equal(findNetworkForAddress(config, '2001:db8:1::8888:20')?.name, 'public6');
    assert.equal(findNetworkForAddress(config, '192.0.2.20')?.name, 'public6');
    assert.equal(findNetworkForAddress(config, { family: 4, address: '198.51.100.7' })?.name, 'backend');
  });

  it('finds none outside every subnet, or for text that is not an address', () => {
    assert.equal(findNetworkForAddress(config, '2001:db8:2::1'), undefined);
    assert.equal(findNetworkForAddress(config, '203.0.113.1'), undefined);
    assert.equal(findNetworkForAddress(config, 'webserver'), undefined);
  });
});
