import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { declaredSubnets, hasDeclaredSubnets, subnetClashes } from '../../../src/core/host/engine-subnets.js';
import type { HostNetwork } from '../../../src/core/host/host-config.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';

function network(yaml: string): HostNetwork {
  const result = parseHostConfig(`networks:\n  n:\n${yaml}`, 'host.yaml');
  const found = result.config?.networks.get('n');
  assert.ok(found, JSON.stringify(result.problems));
  return found;
}

const dual = network('    subnet6: 2001:db8:1::/112\n    subnet4: 192.0.2.0/28\n');
const six = network('    subnet6: 2001:db8:1::/112\n');

describe('engine subnets', () => {
  it('lists the declared subnets, IPv6 first', () => {
    assert.deepEqual(declaredSubnets(dual).map((s) => `${s.address}/${s.prefix}`), ['2001:db8:1::/112', '192.0.2.0/28']);
  });

  const cases: [string, HostNetwork, string[], boolean][] = [
    ['the same subnets', dual, ['192.0.2.0/28', '2001:db8:1::/112'], true],
    ['an added subnet of an undeclared family', six, ['2001:db8:1::/112', '10.89.0.0/24'], true],
    ['another subnet of a declared family', dual, ['2001:db8:1::/112', '192.0.2.16/28'], false],
    ['an extra subnet of a declared family', six, ['2001:db8:1::/112', '2001:db8:2::/112'], false],
    ['a missing subnet', dual, ['2001:db8:1::/112'], false],
  ];
  for (const [what, entry, engine, expected] of cases) {
    it(`compares ${what}`, () => assert.equal(hasDeclaredSubnets(entry, engine), expected));
  }

  it('finds the networks whose subnets overlap the entry\'s, but not the entry itself', () => {
    const others = [
      { name: 'n', subnets: ['2001:db8:1::/112'] },
      { name: 'wide', subnets: ['2001:db8:1::/64'] },
      { name: 'elsewhere', subnets: ['2001:db8:9::/112', '198.51.100.0/24'] },
      { name: 'inside', subnets: ['192.0.2.8/29'] },
    ];
    assert.deepEqual(subnetClashes(dual, others).map((c) => [c.network, c.cidr]), [['wide', '2001:db8:1::/64'], ['inside', '192.0.2.8/29']]);
  });
});
