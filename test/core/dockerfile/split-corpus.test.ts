import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { splitDockerfile } from '../../../src/core/dockerfile/split.js';
import { rejoinedBytes } from '../../helpers/dockerfile-bytes.js';
import { skipFor, underCi } from '../../helpers/skip.js';

// BuildKit's own parser test files with the spans its parser reports, kept beside the repository
// (../shared/corpus/buildkit-parser), not in it. Without them this test is skipped with the
// reason; under CI=true their absence fails the run.
const corpus = new URL('../../../../shared/corpus/buildkit-parser/', import.meta.url);
const absent = existsSync(new URL('spans.json', corpus))
  ? undefined
  : `the BuildKit parser corpus is not at ${fileURLToPath(corpus)} (it is kept beside the repository, not in it)`;

interface Expected {
  /** `''` where BuildKit's parser refused the file and so reported no spans. */
  readonly escape: '' | '\\' | '`';
  readonly instructions: readonly { readonly keyword: string; readonly start: number; readonly end: number }[];
}

const spans = absent === undefined
  ? (JSON.parse(readFileSync(new URL('spans.json', corpus), 'utf8')) as Record<string, Expected>)
  : {};

/** Why BuildKit refuses each file of `testfiles-negative` (its `TestParseErrorCases`). */
const refusals: Record<string, string> = {
  'testfiles-negative/empty_dockerfile/Dockerfile': 'file with no instructions',
  'testfiles-negative/only_comments/Dockerfile': 'file with no instructions',
  'testfiles-negative/env_no_value/Dockerfile': 'ENV must have two arguments',
  'testfiles-negative/shykes-nested-json/Dockerfile':
    'when using JSON array syntax, arrays must be comprised of strings only',
};

// Under CI=true a missing corpus is not skipped: the first test fails with the reason.
const skip = underCi() ? false : skipFor(absent);

describe('splitDockerfile on the BuildKit parser corpus', () => {
  test('spans.json lists all 41 files, and BuildKit refuses exactly the negative ones', { skip }, () => {
    if (absent !== undefined) assert.fail(`${absent}; under CI=true no test may be skipped`);
    assert.equal(Object.keys(spans).length, 41);
    const refused = Object.keys(spans).filter((file) => spans[file]?.escape === '');
    assert.deepEqual(refused.sort(), Object.keys(refusals).sort());
  });

  for (const [file, expected] of Object.entries(spans)) {
    test(file, () => {
      const bytes = readFileSync(new URL(file, corpus));
      const result = splitDockerfile(bytes);
      assert.ok(rejoinedBytes(result).equals(bytes), 'the lines join back into the file byte for byte');

      if (expected.escape === '') {
        assert.equal(result.rejection?.message, refusals[file], 'BuildKit refuses this file, so the splitter must say so');
        return;
      }
      assert.equal(result.rejection, undefined);
      assert.equal(result.escape, expected.escape);
      assert.deepEqual(
        result.instructions.map(({ keyword, startLine, endLine }) => ({ keyword, start: startLine, end: endLine })),
        expected.instructions,
      );
    });
  }
});
