import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasUnprintable, printable, printableJson, printableLines } from '../../src/core/printable.js';

describe('printable', () => {
  const escaped: ReadonlyArray<readonly [string, string, string]> = [
    ['an ESC sequence', 'a\u001b[2Jb', 'a\\u001b[2Jb'],
    ['NUL', 'a\u0000b', 'a\\u0000b'],
    ['a newline, which would forge a line', 'a\nberth: ok', 'a\\u000aberth: ok'],
    ['DEL', 'a\u007f', 'a\\u007f'],
    ['the C1 CSI', 'a\u009b2J', 'a\\u009b2J'],
    ['every C1 control', '\u0080\u009f', '\\u0080\\u009f'],
    ['a bidi override', 'abc\u202Etxt.exe', 'abc\\u202etxt.exe'],
    ['bidi embeddings', '\u202a\u202b\u202c\u202d', '\\u202a\\u202b\\u202c\\u202d'],
    ['bidi isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['marks and zero-width characters', '\u200e\u200f\u200b\u200d\ufeff', '\\u200e\\u200f\\u200b\\u200d\\ufeff'],
    ['line and paragraph separators', '\u2028\u2029', '\\u2028\\u2029'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ];
  for (const [what, text, shown] of escaped) {
    it(`escapes ${what}`, () => {
      assert.equal(printable(text), shown);
      assert.equal(hasUnprintable(text), true);
    });
  }

  it('leaves ordinary text alone, accents, CJK and emoji included', () => {
    for (const text of ['/var/www', 'café', '網頁', 'a 🙂 b', 'x"y\'z\\u001b']) {
      assert.equal(printable(text), text);
      assert.equal(hasUnprintable(text), false);
    }
  });

  it('caps long text by characters, never splitting a surrogate pair', () => {
    assert.equal(printable('a'.repeat(100)), `${'a'.repeat(80)}…`);
    assert.equal(printable('🙂'.repeat(5), 3), '🙂🙂🙂…');
    assert.equal(printable('\u001b'.repeat(10), 2), '\\u001b\\u001b…');
  });

  it('keeps the lines of multi-line text and escapes inside each', () => {
    assert.equal(printableLines('one\r\ntwo\u001b[31m\tred\rthree'), 'one\ntwo\\u001b[31m red\nthree');
  });
});

describe('printableJson', () => {
  it('writes unprintable characters as \\u escapes that read back as the same text', () => {
    const value = { origin: 'a\u202eb\u009b\u001b\u2028', name: 'café' };
    const text = printableJson(value, 2);
    assert.equal(hasUnprintable(text.replaceAll('\n', '')), false);
    assert.deepEqual(JSON.parse(text), value);
  });
});
