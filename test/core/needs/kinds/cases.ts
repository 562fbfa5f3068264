import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { HostConfig } from '../../../../src/core/host/host-config.js';
import { parseHostConfig } from '../../../../src/core/host/parse-host-config.js';
import { formatNeed, needKind } from '../../../../src/core/needs/kinds/index.js';
import type { Need, Origin } from '../../../../src/core/needs/need.js';

const origin: Origin = { source: 'label', key: 'test' };

/** Arguments after the kind that it accepts, with their canonical form (kind first). */
export type Accepted = readonly [args: readonly string[], canonical: readonly string[]];
/** Arguments it refuses, with the argument the message points at and the message. */
export type Refused = readonly [args: readonly string[], argument: number, message: RegExp];

export function parseNeed(kind: string, ...args: string[]): Need {
  const result = needKind(kind)?.parse(args, origin);
  assert.ok(result?.ok, JSON.stringify(result));
  return result.need;
}

/** The table of a kind's grammar: each accepted case reads and formats to a fixed point; each refused case says why. */
export function grammarCases(kind: string, accepted: readonly Accepted[], refused: readonly Refused[]): void {
  for (const [args, canonical] of accepted) {
    it(`accepts ${kind} ${args.join(' ')}`, () => {
      const need = parseNeed(kind, ...args);
      assert.deepEqual(formatNeed(need), canonical);
      const again = parseNeed(canonical[0] ?? '', ...canonical.slice(1));
      assert.deepEqual(formatNeed(again), canonical, 'format is a fixed point');
    });
  }
  for (const [args, argument, message] of refused) {
    it(`refuses ${kind} ${JSON.stringify(args)}`, () => {
      const result = needKind(kind)?.parse(args, origin);
      assert.equal(result?.ok, false);
      if (result && !result.ok) {
        assert.match(result.message, message);
        assert.equal(result.argument, argument);
      }
    });
  }
}

export function host(text: string): HostConfig {
  const result = parseHostConfig(text, '/etc/berth/host.yaml');
  assert.ok(result.config, JSON.stringify(result.problems));
  return result.config;
}
