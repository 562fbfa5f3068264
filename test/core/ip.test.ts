import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGlobalUnicast, looksLikeIp, parseIp, readCidr, readSubnetText } from '../../src/core/ip.js';

describe('parseIp', () => {
  const accepted: [string, number, string, number?][] = [
    ['2001:0db8:0:0::0020', 6, '2001:db8::20'],
    ['2001:DB8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['2001:db8:1::8888:20/112', 6, '2001:db8:1::8888:20', 112],
    ['192.0.2.20', 4, '192.0.2.20'],
    ['198.51.100.7/24', 4, '198.51.100.7', 24],
  ];
  for (const [text, family, address, prefix] of accepted) {
    it(`reads ${text} as ${address}`, () => {
      const result = parseIp(text);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.value.family, family);
      assert.equal(result.value.address, address);
      assert.equal(result.value.prefix, prefix);
    });
  }

  const refused: [string, RegExp][] = [
    ['fe80::1%eth0', /zone/],
    ['::', /cannot be a container's address/],
    ['::1', /cannot be a container's address/],
    ['ff02::1', /cannot be a container's address/],
    ['127.0.0.1', /cannot be a container's address/],
    ['::ffff:192.0.2.1', /embeds an IPv4/],
    ['2001:db8::1/129', /longer than 128/],
    ['192.0.2.1/33', /longer than 32/],
    ['300.1.1.1', /not a valid IPv4/],
    ['01.2.3.4', /not a valid IPv4/],
    ['2001:db8:::1', /not a valid IPv6/],
    ['webserver', /not an IPv4 or IPv6/],
  ];
  for (const [text, reason] of refused) {
    it(`refuses ${text}`, () => {
      const result = parseIp(text);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, reason);
    });
  }
});

describe('looksLikeIp', () => {
  it('tells addresses from names', () => {
    assert.equal(looksLikeIp('2001:db8::1'), true);
    assert.equal(looksLikeIp('300.1.1.1'), true);
    assert.equal(looksLikeIp('webserver'), false);
    assert.equal(looksLikeIp('web.example-1'), false);
    assert.equal(looksLikeIp('cafe'), false);
  });
});

describe('readCidr', () => {
  it('reads an engine CIDR canonically, host bits kept, or not at all', () => {
    assert.deepEqual(readCidr('2001:DB8:1:0::/112'), { family: 6, address: '2001:db8:1::', prefix: 112 });
    assert.deepEqual(readCidr('192.0.2.1/24'), { family: 4, address: '192.0.2.1', prefix: 24 });
    assert.equal(readCidr('2001:db8::/129'), undefined);
    assert.equal(readCidr('nonsense'), undefined);
  });
});

describe('readSubnetText', () => {
  it('says why text is not a subnet, and which subnet host bits meant', () => {
    assert.deepEqual(readSubnetText('2001:db8:1::/64'), { ok: true, subnet: { family: 6, address: '2001:db8:1::', prefix: 64 } });
    assert.deepEqual(readSubnetText('192.0.2.7/24'), { ok: false, problem: 'host-bits', subnet: { family: 4, address: '192.0.2.0', prefix: 24 } });
    assert.deepEqual(readSubnetText('192.0.2.0'), { ok: false, problem: 'no-prefix' });
    assert.deepEqual(readSubnetText('192.0.2.0/33'), { ok: false, problem: 'bad-prefix' });
    assert.deepEqual(readSubnetText('192.0.2.0/024'), { ok: false, problem: 'bad-prefix' });
    assert.deepEqual(readSubnetText('web/24'), { ok: false, problem: 'not-an-address' });
  });
});

describe('isGlobalUnicast', () => {
  it('holds for 2000::/3 only', () => {
    assert.equal(isGlobalUnicast('2a01:4f8::1'), true);
    assert.equal(isGlobalUnicast('fd00::1'), false);
    assert.equal(isGlobalUnicast('fe80::1'), false);
  });
});
