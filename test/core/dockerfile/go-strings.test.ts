import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  byteStringOf, goDecode, isSpace, isValidUtf8, leadingSpaceLength, runeAt, runeOf, trimmedEnd, utf8Bytes, widthOf,
} from '../../../src/core/dockerfile/go-strings.js';
import { randomSource } from '../../helpers/tricky-dockerfiles.js';

const bytes = (...values: number[]) => byteStringOf(Uint8Array.from(values));

describe('Go decoding of bytes', () => {
  // What Go's `[]rune(string(b))` gives: every byte of an invalid sequence is one U+FFFD.
  const cases: readonly (readonly [string, readonly number[], string])[] = [
    ['ASCII', [0x61, 0x62], 'ab'],
    ['two-byte', [0xc3, 0xa0], '\u00e0'],
    ['four-byte', [0xf0, 0x9f, 0x98, 0x80], '😀'],
    ['a truncated sequence: one U+FFFD per byte, unlike TextDecoder', [0xe2, 0x82, 0x61], '\ufffd\ufffda'],
    ['an overlong encoding', [0xc0, 0x80], '\ufffd\ufffd'],
    ['a surrogate', [0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], '\ufffd\ufffd\ufffd\ufffd'],
    ['a lone continuation byte', [0x85], '\ufffd'],
    ['Latin-1 é', [0x63, 0x61, 0x66, 0xe9], 'caf\ufffd'],
  ];
  for (const [name, values, decoded] of cases) {
    test(name, () => {
      assert.equal(goDecode(bytes(...values)), decoded);
      assert.equal(isValidUtf8(bytes(...values)), !decoded.includes('\ufffd'));
    });
  }

  test('a literal U+FFFD is valid UTF-8', () => {
    assert.equal(isValidUtf8(utf8Bytes('\ufffd')), true);
    assert.deepEqual([runeOf(runeAt(utf8Bytes('\ufffd'), 0)), widthOf(runeAt(utf8Bytes('\ufffd'), 0))], [0xfffd, 3]);
  });

  test('utf8Bytes and byteStringOf agree with Buffer', () => {
    const text = 'a\u00e0\u2028😀\ud800';
    assert.equal(utf8Bytes(text), Buffer.from(text, 'utf8').toString('latin1'));
    assert.equal(byteStringOf(Buffer.from([0, 0x80, 0xff])), '\x00\x80\xff');
  });
});

describe('Go trimming', () => {
  test('runes are decoded: U+0085, U+00A0 and U+2028 are spaces, the bytes 0x85 and 0xA0 alone are not', () => {
    assert.equal(leadingSpaceLength(utf8Bytes('\u0085\u00a0\u2028 x')), 8);
    assert.equal(leadingSpaceLength(bytes(0x85, 0x61)), 0);
    assert.equal(leadingSpaceLength(bytes(0xa0, 0x61)), 0);
    assert.equal(trimmedEnd(utf8Bytes('x \u3000\u0085')), 1);
    assert.equal(trimmedEnd(bytes(0x61, 0xa0)), 2);
  });

  test('trimming from the end finds what decoding from the start finds, on random bytes', () => {
    const random = randomSource(7);
    const pieces = [[0x20], [0x09], [0x85], [0xa0], [0xc2, 0x85], [0xc2, 0xa0], [0xe2, 0x80, 0xa8], [0xe3, 0x80, 0x80],
      [0xe2, 0x80], [0xc2], [0x61], [0xe9], [0xf0, 0x9f, 0x98, 0x80], [0xe1, 0x9a, 0x80]];
    for (let round = 0; round < 3000; round++) {
      const values: number[] = [];
      for (let n = random(8); n > 0; n--) values.push(...(pieces[random(pieces.length)] ?? []));
      const text = bytes(...values);
      let forward = 0;
      for (let at = 0; at < text.length; ) {
        const packed = runeAt(text, at);
        at += widthOf(packed);
        if (!isSpace(runeOf(packed))) forward = at;
      }
      assert.equal(trimmedEnd(text), forward, JSON.stringify(values));
    }
  });
});
