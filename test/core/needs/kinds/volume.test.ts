import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { volumeKind } from '../../../../src/core/needs/kinds/volume.js';
import type { VolumeNeed } from '../../../../src/core/needs/need.js';
import { grammarCases, host, parseNeed } from './cases.js';

const HOST = host(`
volumes:
  webpages:
    source: /srv/www
  cache:
    volume: web-cache
`);
const volume = (...args: string[]) => parseNeed('volume', ...args) as VolumeNeed;

describe('volume kind', () => {
  grammarCases(
    'volume',
    [
      [['webpages', '/var/www'], ['volume', 'webpages', '/var/www']],
      [['webpages', '/var/www', 'rw'], ['volume', 'webpages', '/var/www']],
      [['cache', '/srv/my site', 'ro'], ['volume', 'cache', '/srv/my site', 'ro']],
      [['a.b_c-1', '/data'], ['volume', 'a.b_c-1', '/data']],
    ],
    [
      [['web'], 1, /NAME TARGET/],
      [['web', 'var/www'], 1, /not an absolute path/],
      [['web', '/'], 1, /whole container/],
      [['web', '/a/../b'], 1, /normalised/],
      [['web', '/a/./b'], 1, /normalised/],
      [['web', '/a//b'], 1, /normalised/],
      [['web', '/a/'], 1, /ends with/],
      [['web', '/a,readonly'], 1, /","/],
      [['web', '/a:ro'], 1, /":"/],
      [['web', '/a=b'], 1, /"="/],
      [['web', '/a\nb'], 1, /newline/],
      [['web', '/a"b'], 1, /contains "\""/],
      [['web', '/a b '], 1, /ends with a space/],
      [['web', '/a\u0007'], 1, /control or format character \(U\+0007\)/],
      [['web', '/a\u009b2J'], 1, /U\+009B/],
      [['web', '/a\u202eb'], 1, /U\+202E/],
      [['web', '/a\u2066b'], 1, /U\+2066/],
      [['web', '/a\u200bb'], 1, /U\+200B/],
      [['web', '/a\u0000'], 1, /U\+0000/],
      [['web', '/a', 'rx'], 2, /neither "ro" nor "rw"/],
      [['../etc', '/a'], 0, /not a valid name/],
      [['web', '/a', 'ro', 'x'], 3, /NAME TARGET/],
    ],
  );

  it('describes its target and mode', () => {
    assert.deepEqual(volumeKind.json(volume('cache', '/c', 'ro')), { kind: 'volume', name: 'cache', target: '/c', mode: 'ro' });
    assert.equal(volumeKind.details(volume('cache', '/c')), 'at /c (rw)');
  });

  it('is unprovided when neither declared nor given a provider', () => {
    assert.equal(volumeKind.unprovided(volume('webpages', '/w'), HOST), undefined);
    assert.match(volumeKind.unprovided(volume('other', '/o'), HOST) ?? '', /not declared under volumes: and has no provider/);
  });

  it('touches its directory or docker volume, and claims its target', () => {
    assert.deepEqual(volumeKind.touches(volume('webpages', '/w'), HOST), { networks: [], volumes: [], directories: ['/srv/www'] });
    assert.deepEqual(volumeKind.touches(volume('cache', '/c'), HOST), { networks: [], volumes: ['web-cache'], directories: [] });
    assert.deepEqual(volumeKind.touches(volume('other', '/o'), HOST), { networks: [], volumes: [], directories: [] });
    assert.deepEqual(volumeKind.claims(volume('other', '/o'), HOST), { networks: [], mountTargets: ['/o'] });
  });
});
