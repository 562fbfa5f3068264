import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineCounter, parseDocument } from 'yaml';
import type { Path, Target } from '../../../src/core/host/data-path.js';
import { yamlLocator } from '../../../src/core/host/yaml-locator.js';

function locate(yaml: string, path: Path, target: Target): [number, number] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: 'host.yaml', line, column: col };
  };
  const { line, column } = yamlLocator(doc, at, 'host.yaml')(path, target);
  return [line, column];
}

describe('yamlLocator', () => {
  const yaml = 'networks:\n  n:\n    subnet6: 2001:db8::/64\n    empty:\n    list: [a, b]\nbase: &b\n  x: 1\nalias: *b\n';
  const cases: [string, Path, Target, [number, number]][] = [
    ['the key of a value', ['networks', 'n', 'subnet6'], 'key', [3, 5]],
    ['the value itself', ['networks', 'n', 'subnet6'], 'value', [3, 14]],
    ['an empty value, at its key', ['networks', 'n', 'empty'], 'value', [4, 5]],
    ['a list item', ['networks', 'n', 'list', 1], 'value', [5, 15]],
    ['a list item has no key: its value', ['networks', 'n', 'list', 1], 'key', [5, 15]],
    ['through an alias, in the anchored mapping', ['alias', 'x'], 'key', [7, 3]],
    ['a missing key, at the mapping it would be in', ['networks', 'n', 'gateway6'], 'value', [3, 5]],
    ['a missing key: the key of that mapping', ['networks', 'n', 'gateway6'], 'key', [2, 3]],
    ['the whole document', [], 'value', [1, 1]],
  ];
  for (const [name, path, target, expected] of cases) {
    it(name, () => assert.deepEqual(locate(yaml, path, target), expected));
  }

  it('falls back to the start of the file when nothing is found', () => {
    assert.deepEqual(locate('', ['networks'], 'key'), [1, 1]);
  });
});
