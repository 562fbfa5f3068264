import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNeed, needKind } from '../../../src/core/needs/kinds/index.js';
import type { Origin } from '../../../src/core/needs/need.js';

const origin: Origin = { source: 'label', key: 'test' };

function parse(kind: string, ...args: string[]) {
  const module = needKind(kind);
  assert.ok(module, `kind ${kind}`);
  return module.parse(args, origin);
}

describe('need kinds', () => {
  const good: [string, string[], string[]][] = [
    ['address', ['webserver'], ['address', 'webserver']],
    ['address', ['2001:0db8::0020/112'], ['address', '2001:db8::20/112']],
    ['address', ['192.0.2.20'], ['address', '192.0.2.20']],
    ['volume', ['webpages', '/var/www'], ['volume', 'webpages', '/var/www']],
    ['volume', ['webpages', '/var/www', 'rw'], ['volume', 'webpages', '/var/www']],
    ['volume', ['cache', '/srv/my site', 'ro'], ['volume', 'cache', '/srv/my site', 'ro']],
    ['network', ['backend'], ['network', 'backend']],
    ['VOLUME', ['a.b_c-1', '/data'], ['volume', 'a.b_c-1', '/data']],
  ];
  for (const [kind, args, canonical] of good) {
    it(`reads ${kind} ${args.join(' ')}`, () => {
      const result = parse(kind, ...args);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(formatNeed(result.need), canonical);
      const again = parse(canonical[0] ?? '', ...canonical.slice(1));
      assert.ok(again.ok);
      assert.deepEqual(formatNeed(again.need), canonical, 'format is a fixed point');
    });
  }

  const bad: [string, string[], number, RegExp][] = [
    ['address', [], 0, /exactly one/],
    ['address', ['a', 'b'], 1, /exactly one/],
    ['address', ['-web'], 0, /not a valid name/],
    ['address', ['x'.repeat(65)], 0, /longer than 64/],
    ['address', ['2001:db8::1%eth0'], 0, /zone/],
    ['address', ['2001:db8::1%\u001b[2J\nberth: all needs met'], 0, /^"2001:db8::1%\\u001b\[2J\\u000aberth: all needs met" has a zone index/],
    ['volume', ['web'], 1, /NAME TARGET/],
    ['volume', ['web', 'var/www'], 1, /not an absolute path/],
    ['volume', ['web', '/'], 1, /whole container/],
    ['volume', ['web', '/a/../b'], 1, /normalised/],
    ['volume', ['web', '/a/./b'], 1, /normalised/],
    ['volume', ['web', '/a//b'], 1, /normalised/],
    ['volume', ['web', '/a/'], 1, /ends with/],
    ['volume', ['web', '/a,readonly'], 1, /","/],
    ['volume', ['web', '/a:ro'], 1, /":"/],
    ['volume', ['web', '/a=b'], 1, /"="/],
    ['volume', ['web', '/a"b'], 1, /contains "\""/],
    ['volume', ['web', '/a b '], 1, /ends with a space/],
    ['volume', ['web', '/a\nb'], 1, /newline/],
    ['volume', ['web', '/a\u0007'], 1, /control or format character \(U\+0007\)/],
    ['volume', ['web', '/a\u009b2J'], 1, /U\+009B/],
    ['volume', ['web', '/a\u202eb'], 1, /U\+202E/],
    ['volume', ['web', '/a\u2066b'], 1, /U\+2066/],
    ['volume', ['web', '/a\u200bb'], 1, /U\+200B/],
    ['volume', ['web', '/a\u0000'], 1, /U\+0000/],
    ['volume', ['web', '/a', 'rx'], 2, /neither "ro" nor "rw"/],
    ['volume', ['../etc', '/a'], 0, /not a valid name/],
    ['volume', ['web', '/a', 'ro', 'x'], 3, /NAME TARGET/],
    ['network', ['a b'], 0, /not a valid name/],
  ];
  for (const [kind, args, argument, message] of bad) {
    it(`refuses ${kind} ${JSON.stringify(args)}`, () => {
      const result = parse(kind, ...args);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.match(result.message, message);
        assert.equal(result.argument, argument);
      }
    });
  }

  it('knows no other kinds', () => {
    assert.equal(needKind('device'), undefined);
    assert.equal(needKind('__proto__'), undefined);
    assert.equal(needKind('constructor'), undefined);
  });
});
