import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ParserDirectives } from '../../../src/core/dockerfile/directives.js';

function read(...lines: string[]) {
  const directives = new ParserDirectives();
  const problems: (string | undefined)[] = [];
  for (const line of lines) if (directives.open) problems.push(directives.read(line));
  return { escape: directives.escape, values: directives.values, open: directives.open, problems };
}

describe('ParserDirectives', () => {
  test('keys are lower-cased and values trimmed', () => {
    assert.deepEqual(read('# Syntax = docker/dockerfile:1  ', '#escape=`'), {
      escape: '`',
      values: { syntax: 'docker/dockerfile:1', escape: '`' },
      open: true,
      problems: [undefined, undefined],
    });
  });

  test('the first line that is not a known directive ends the block', () => {
    const result = read('# syntax=a', '# note=1', '# escape=`');
    assert.equal(result.open, false);
    assert.equal(result.escape, '\\');
    assert.deepEqual(result.values, { syntax: 'a' });
  });

  test('a directive given twice is refused', () => {
    assert.deepEqual(read('# check=a', '# CHECK=b').problems, [undefined, 'only one check parser directive can be used']);
  });

  test('an escape other than \\ or ` is refused and leaves the escape as it was', () => {
    const result = read('# escape=x');
    assert.deepEqual(result.problems, ["invalid escape token 'x' does not match ` or \\"]);
    assert.equal(result.escape, '\\');
    assert.deepEqual(result.values, {});
  });

  test('after `=` and only spaces, the value is the last space', () => {
    assert.deepEqual(read('# syntax=  ').values, { syntax: ' ' });
  });
});
