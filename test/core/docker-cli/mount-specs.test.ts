import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mountPlace, normalizeTarget, tmpfsPlace, volumePlace, type MountPlace } from '../../../src/core/docker-cli/mount-specs.js';

describe('volumePlace', () => {
  const cases: [string, MountPlace][] = [
    ['/data', { target: '/data' }],
    ['/srv:/var/www', { target: '/var/www', source: '/srv' }],
    ['web:/var/www/:ro,z', { target: '/var/www', source: 'web' }],
    ['./rel:/x', { target: '/x', source: './rel' }],
    ['a:b:c:d', {}],
    ['', {}],
  ];
  for (const [value, expected] of cases) it(JSON.stringify(value), () => assert.deepEqual(volumePlace(value), expected));
});

describe('mountPlace', () => {
  const cases: [string, MountPlace][] = [
    ['type=bind,source=/a,target=/b', { target: '/b', source: '/a' }],
    ['type=volume,src=v,dst=/b,readonly', { target: '/b', source: 'v' }],
    ['destination=/b/', { target: '/b' }],
    ['TARGET=/b', { target: '/b' }],
    ['type=tmpfs,target=/t,tmpfs-size=1m', { target: '/t' }],
    ['type=volume,"volume-opt=o=addr=1,rw",target=/n', { target: '/n' }],
    ['"target=/say ""hi"""', { target: '/say "hi"' }],
    ['type=bind,source=/a', { source: '/a' }],
  ];
  for (const [value, expected] of cases) it(JSON.stringify(value), () => assert.deepEqual(mountPlace(value), expected));
});

describe('tmpfsPlace and normalizeTarget', () => {
  it('reads the tmpfs target before its options', () => {
    assert.deepEqual(tmpfsPlace('/run:rw,size=64m'), { target: '/run' });
    assert.deepEqual(tmpfsPlace('/run'), { target: '/run' });
  });

  const cases: [string, string][] = [['/a/', '/a'], ['//a//b', '/a/b'], ['/a/./b/../c', '/a/c'], ['/', '/']];
  for (const [path, expected] of cases) it(`${path} → ${expected}`, () => assert.equal(normalizeTarget(path), expected));
});
