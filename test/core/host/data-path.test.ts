import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { label, valueAt, type Path } from '../../../src/core/host/data-path.js';

describe('label', () => {
  const cases: [Path, string][] = [
    [[], ''],
    [['networks'], 'networks'],
    [['networks', 'public6', 'subnet6'], 'networks.public6.subnet6'],
    [['volumes', 'cache', 'provider', 0], 'volumes.cache.provider[0]'],
    [['networks', 'x', 'options', 'com.docker.mtu'], 'networks.x.options["com.docker.mtu"]'],
    [['networks', 'a b'], 'networks["a b"]'],
  ];
  for (const [path, expected] of cases) {
    it(`names ${JSON.stringify(path)} ${expected || '(empty)'}`, () => assert.equal(label(path), expected));
  }
});

describe('valueAt', () => {
  const data = { volumes: { cache: { provider: ['/bin/p', '--x'] } }, timeout: 5 };
  const cases: [Path, unknown][] = [
    [[], data],
    [['volumes', 'cache', 'provider', 1], '--x'],
    [['volumes', 'missing', 'provider'], undefined],
    [['timeout', 'deeper'], undefined],
  ];
  for (const [path, expected] of cases) {
    it(`finds ${JSON.stringify(path)}`, () => assert.deepEqual(valueAt(data, path), expected));
  }
});
