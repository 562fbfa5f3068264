import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { networkKind } from '../../../../src/core/needs/kinds/network.js';
import type { NetworkNeed } from '../../../../src/core/needs/need.js';
import { grammarCases, host, parseNeed } from './cases.js';

const HOST = host(`
networks:
  backend:
    subnet6: 2001:db8:2::/64
`);
const network = (name: string) => parseNeed('network', name) as NetworkNeed;

describe('network kind', () => {
  grammarCases(
    'network',
    [
      [['backend'], ['network', 'backend']],
      [['Back.end-1'], ['network', 'Back.end-1']],
    ],
    [
      [[], 0, /exactly one NAME, got 0/],
      [['a', 'b'], 1, /exactly one NAME, got 2/],
      [['a b'], 0, /not a valid name/],
      [['_x'], 0, /not a valid name/],
    ],
  );

  it('describes itself', () => {
    assert.deepEqual(networkKind.json(network('backend')), { kind: 'network', name: 'backend' });
    assert.equal(networkKind.details(network('backend')), 'join; Docker picks the address');
  });

  it('is unprovided when not declared and no network provider exists', () => {
    assert.equal(networkKind.unprovided(network('backend'), HOST), undefined);
    assert.match(networkKind.unprovided(network('front'), HOST) ?? '', /not declared under networks:/);
  });

  it('touches and claims its network, declared or not', () => {
    assert.deepEqual(networkKind.touches(network('front'), HOST), { networks: ['front'], volumes: [], directories: [] });
    assert.deepEqual(networkKind.claims(network('backend'), HOST), { networks: ['backend'], mountTargets: [] });
  });
});
