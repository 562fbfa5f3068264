import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KIND_NAMES, NEED_KINDS, needKind } from '../../../src/core/needs/kinds/index.js';

// Each kind's own cases are in kinds/<kind>.test.ts; these hold for the table as a whole.
describe('the kind table', () => {
  it('finds kinds case-insensitively, and knows no other kinds', () => {
    assert.equal(needKind('VOLUME'), NEED_KINDS.volume);
    assert.equal(needKind('device'), undefined);
    assert.equal(needKind('__proto__'), undefined);
    assert.equal(needKind('constructor'), undefined);
  });

  it('files each kind under its own word, with a host-file section of its own', () => {
    for (const name of KIND_NAMES) assert.equal(NEED_KINDS[name].kind, name);
    const sections = KIND_NAMES.map((name) => NEED_KINDS[name].hostSection.key);
    assert.equal(new Set(sections).size, sections.length);
  });
});
