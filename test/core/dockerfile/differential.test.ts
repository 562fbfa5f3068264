import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyseDockerfile } from '../../../src/core/dockerfile/analyse.js';
import { stripStatements } from '../../../src/core/dockerfile/preprocess.js';
import { simpleSpans } from '../../helpers/simple-reader.js';
import { randomSource, trickyDockerfile } from '../../helpers/tricky-dockerfiles.js';

// Generated files, checked for what berth can know without BuildKit at hand: the splitter finds
// the spans a second, simpler reading finds, and preprocessing changes no byte outside statements.

const FILES = 600;
const SEED = 13;

/** The file with every line of the given spans emptied, its line ending kept. */
function blanked(file: Buffer, spans: readonly { start: number; end: number }[]): Buffer {
  const text = file.toString('latin1');
  const bom = text.startsWith('\xef\xbb\xbf') ? '\xef\xbb\xbf' : '';
  const lines = text.slice(bom.length).match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out = lines.map((line, i) => {
    const number = i + 1;
    if (!spans.some((s) => number >= s.start && number <= s.end)) return line;
    return line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
  });
  return Buffer.from(bom + out.join(''), 'latin1');
}

describe('generated Dockerfiles', () => {
  test(`${FILES} files: the spans of a second reading, and no byte changed outside statements`, () => {
    const random = randomSource(SEED);
    let withStatements = 0;
    for (let n = 0; n < FILES; n++) {
      const file = trickyDockerfile(random);
      const shown = JSON.stringify(file.toString('latin1'));
      const analysis = analyseDockerfile(file, { file: 'Dockerfile' });
      const expected = simpleSpans(file);
      const found = analysis.split.instructions.map((i) => ({
        keyword: i.keyword,
        start: i.startLine,
        end: i.endLine,
        heredocs: i.heredocs.map((h) => h.name),
      }));
      assert.deepEqual(found, expected, `spans of file #${n}: ${shown}`);

      const statements = expected.filter((i) => i.keyword === 'NEED' || i.keyword === 'ADDRESS');
      if (analysis.problems.some((p) => p.severity === 'error')) continue;
      assert.equal(analysis.statements.length, statements.length, `statements of file #${n}: ${shown}`);
      const plain = Buffer.from(stripStatements(file, analysis.split, analysis.statements));
      assert.ok(plain.equals(blanked(file, statements)), `bytes of file #${n}: ${shown}`);
      if (statements.length > 0) withStatements++;
    }
    assert.ok(withStatements > FILES / 2, `only ${withStatements} files had statements and no error`);
  });
});
