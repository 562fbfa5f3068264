import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import { hostEntries, KIND_NAMES, NEED_KINDS, needKind } from '../../../src/core/needs/kinds/index.js';
import type { NeedKindName } from '../../../src/core/needs/need.js';

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

  it("reads each kind's section of the host file with that kind's reader", () => {
    const { config, problems } = parseHostConfig(
      'networks:\n  n:\n    subnet6: 2001:db8::/64\naddresses:\n  a:\n    network: n\n    ipv6: 2001:db8::5\nvolumes:\n  v:\n    source: /srv/v\n',
      'host.yaml',
    );
    assert.ok(config, JSON.stringify(problems));
    const declared: Record<NeedKindName, string> = { network: 'n', address: 'a', volume: 'v' };
    for (const name of KIND_NAMES) assert.deepEqual([...hostEntries(config, name).keys()], [declared[name]], name);
  });
});
