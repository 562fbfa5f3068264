import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKind } from '../../../../src/core/needs/kinds/address.js';
import type { AddressNeed } from '../../../../src/core/needs/need.js';
import { grammarCases, host, parseNeed } from './cases.js';

const HOST = host(`
networks:
  public6:
    subnet6: 2001:db8:1::/64
addresses:
  webserver:
    network: public6
    ipv6: 2001:db8:1::20
`);
const address = (ref: string) => parseNeed('address', ref) as AddressNeed;

describe('address kind', () => {
  grammarCases(
    'address',
    [
      [['webserver'], ['address', 'webserver']],
      [['2001:0db8::0020/112'], ['address', '2001:db8::20/112']],
      [['192.0.2.20'], ['address', '192.0.2.20']],
      [['web.1_a-b'], ['address', 'web.1_a-b']],
    ],
    [
      [[], 0, /exactly one/],
      [['a', 'b'], 1, /exactly one/],
      [['-web'], 0, /not a valid name/],
      [['x'.repeat(65)], 0, /longer than 64/],
      [['2001:db8::1%eth0'], 0, /zone/],
      [['2001:db8::1%\u001b[2J\nberth: all needs met'], 0, /^"2001:db8::1%\\u001b\[2J\\u000aberth: all needs met" has a zone index/],
      [['::1'], 0, /loopback/],
      [['127.0.0.1'], 0, /loopback/],
      [['2001:db8::/129'], 0, /longer than 128/],
    ],
  );

  it('describes a named and a literal address', () => {
    assert.deepEqual(addressKind.json(address('webserver')), { kind: 'address', name: 'webserver' });
    assert.deepEqual(addressKind.json(address('2001:db8:1::30/64')), { kind: 'address', literal: '2001:db8:1::30/64', family: 'ipv6' });
    assert.equal(addressKind.details(address('webserver')), 'named by the host');
    assert.equal(addressKind.details(address('192.0.2.9')), 'literal IPv4');
  });

  it('is unprovided only when a name is neither declared nor has a provider', () => {
    assert.equal(addressKind.unprovided(address('webserver'), HOST), undefined);
    assert.equal(addressKind.unprovided(address('2001:db8:9::1'), HOST), undefined, 'a literal names no entry');
    assert.match(addressKind.unprovided(address('mail'), HOST) ?? '', /not declared under addresses:/);
  });

  it('touches and claims the network its address is on', () => {
    assert.deepEqual(addressKind.touches(address('webserver'), HOST), { networks: ['public6'], volumes: [], directories: [] });
    assert.deepEqual(addressKind.claims(address('2001:db8:1::99'), HOST), { networks: ['public6'], mountTargets: [] });
    assert.deepEqual(addressKind.claims(address('2001:db8:9::1'), HOST).networks, []);
  });
});
