import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeName, encodeName, fingerprint, isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../../../src/core/export/kubernetes/names.js';

const NAME_CHARS = 'abcXYZ019_.-';

// Every berth NAME is [A-Za-z0-9][A-Za-z0-9_.-]{0,63}; a few thousand of them, the same on every run.
function sampleNames(count: number): string[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  return Array.from({ length: count }, () => {
    const length = 1 + next(64);
    let name = 'aZ0'[next(3)] ?? 'a';
    while (name.length < length) name += NAME_CHARS[next(NAME_CHARS.length)];
    return name;
  });
}

describe('encodeName', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['webpages', 'webpages'],
    ['web-pages', 'web-pages'],
    ['Web_1', 'b---web-21'],
    ['cache.v2', 'b--cache-1v2'],
    ['ends-', 'b--ends-0'],
    ['b--looks-escaped', 'b--b-0-0looks-0escaped'],
    ['h--looks-hashed', 'b--h-0-0looks-0hashed'],
    ['2001:db8::20', 'b--2001-3db8-3-320'],
    ['192.0.2.20', 'b--192-10-12-120'],
    ['a'.repeat(63), 'a'.repeat(63)],
  ];
  for (const [name, encoded] of cases) {
    it(`${name} → ${encoded}`, () => {
      assert.equal(encodeName(name), encoded);
      assert.equal(decodeName(encoded), name);
    });
  }

  it('gives a name too long to escape its readable start and a hash, within 63 characters', () => {
    const long = `Very_Long.${'x'.repeat(54)}`;
    const encoded = encodeName(long);
    assert.match(encoded, /^h--/);
    assert.ok(encoded.length <= 63, encoded);
    assert.ok(isDnsLabel(encoded), encoded);
    assert.equal(decodeName(encoded), undefined);
    assert.notEqual(encodeName(`${long.slice(0, -1)}y`), encoded);
  });

  it('makes every berth name a DNS-1123 label and a label-key name, and decodes every escaped one back', () => {
    const names = sampleNames(3000);
    const encoded = names.map(encodeName);
    for (const [i, name] of names.entries()) {
      const text = encoded[i] ?? '';
      assert.ok(isDnsLabel(text), `${name} → ${text}`);
      assert.ok(isLabelKey(`volume.berth/${text}`), `${name} → ${text}`);
      const back = decodeName(text);
      if (back !== undefined) assert.equal(back, name);
      else assert.ok(text.startsWith('h--'));
    }
    assert.equal(new Set(encoded).size, new Set(names).size, 'two names share an encoding');
  });
});

describe('Kubernetes name rules', () => {
  it('tells DNS-1123 labels and subdomains', () => {
    assert.ok(isDnsLabel('web-1'));
    for (const bad of ['', 'Web', 'web_1', '-web', 'web-', 'a.b', 'a'.repeat(64)]) assert.equal(isDnsLabel(bad), false, bad);
    assert.ok(isDnsSubdomain('web-webpages.node-a'));
    for (const bad of ['', 'a..b', '.a', 'A.b', `${'a'.repeat(64)}.b`, 'a'.repeat(254)]) assert.equal(isDnsSubdomain(bad), false, bad);
  });

  it('tells label keys and values', () => {
    for (const good of ['app', 'berth/volume', 'volume.berth/b---web-21', 'k8s.v1.cni.cncf.io/networks', 'a/A_b.c']) assert.ok(isLabelKey(good), good);
    for (const bad of ['', 'address.berth/2001:db8::20', `volume.berth/${'a'.repeat(64)}`, 'Berth/x', '/x', 'a/', 'a/-x', 'a/b/c']) assert.equal(isLabelKey(bad), false, bad);
    for (const good of ['', 'rw', 'Web_1.x', '2e188edd62824821']) assert.ok(isLabelValue(good), good);
    for (const bad of ['-x', 'x-', 'a:b', 'a'.repeat(64)]) assert.equal(isLabelValue(bad), false, bad);
  });

  it('fingerprints stably, 16 hex digits', () => {
    assert.equal(fingerprint(''), 'cbf29ce484222325');
    assert.equal(fingerprint('a'), 'af63dc4c8601ec8c');
    assert.notEqual(fingerprint('ab'), fingerprint('ba'));
  });
});
