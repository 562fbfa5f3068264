import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { heredocMarks, readHeredocBodies } from '../../../src/core/dockerfile/heredoc.js';
import { LineScanner, readSourceLines } from '../../../src/core/dockerfile/source-lines.js';

/** A logical line and the heredoc names it opens (`-` in front when leading tabs are stripped). */
const marks: readonly (readonly [string, readonly string[]])[] = [
  ['RUN <<EOF', ['EOF']],
  ['RUN <<-EOF', ['-EOF']],
  ['RUN <<"EOF" <<\'X Y\'', ['EOF', 'X Y']],
  ['RUN 3<<EOF cat', ['EOF']],
  ['RUN << EOF', ['EOF']],
  ['COPY <<a <<b /dst/', ['a', 'b']],
  ['RUN echo a<<EOF', []],
  ['RUN cat <<<EOF', []],
  ['RUN "<<EOF"', []],
  ['RUN <<', []],
  ['RUN <<"a b', []], // the line does not lex, so it opens nothing
  ['RUN <<${A:-x}', []], // a nested `${...}` clears the word being built, `<<` with it
];

describe('heredocMarks', () => {
  for (const [line, names] of marks) {
    test(line, () => {
      const found = heredocMarks(line);
      assert.ok(!('error' in found));
      assert.deepEqual(
        found.marks.map(({ name, chomp }) => (chomp ? `-${name}` : name)),
        names,
      );
    });
  }
});

describe('readHeredocBodies', () => {
  function bodies(text: string, names: readonly string[], chomp = false) {
    const { lines, bom } = readSourceLines(text);
    const scanner = new LineScanner(lines, bom, () => {});
    scanner.read();
    return readHeredocBodies(names.map((name) => ({ name, chomp })), scanner);
  }

  test('bodies follow one another, each up to its terminator', () => {
    assert.deepEqual(bodies('RUN <<A <<B\na\nA\nb\nB\n', ['A', 'B']), {
      heredocs: [
        { name: 'A', startLine: 2, endLine: 3 },
        { name: 'B', startLine: 4, endLine: 5 },
      ],
      unterminated: false,
    });
  });

  test('a terminator with trailing carriage returns still ends the body', () => {
    assert.deepEqual(bodies('RUN <<A\r\nx\r\nA\r\r\n', ['A']).heredocs, [{ name: 'A', startLine: 2, endLine: 3 }]);
  });

  test('leading tabs before the terminator count only with <<-', () => {
    assert.equal(bodies('RUN <<A\n\tA\n', ['A']).unterminated, true);
    assert.deepEqual(bodies('RUN <<-A\n\tA\n', ['A'], true), {
      heredocs: [{ name: 'A', startLine: 2, endLine: 2 }],
      unterminated: false,
    });
  });

  test('the file ends inside the first body, so the second is never read', () => {
    assert.deepEqual(bodies('RUN <<A <<B\nx\ny\n', ['A', 'B']), {
      heredocs: [{ name: 'A', startLine: 2, endLine: 3 }],
      unterminated: true,
    });
  });
});
