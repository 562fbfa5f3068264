import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { say } from '../../src/cli/output.js';

describe('say', () => {
  it('prefixes every line and escapes whatever control a message still carries', () => {
    let written = '';
    say({ stdout: () => undefined, stderr: (text) => (written += text) }, 'one\u001b[2J\ntwo\u009b\u202e\r\nthree');
    assert.equal(written, 'berth: one\\u001b[2J\nberth: two\\u009b\\u202e\nberth: three\n');
  });
});
