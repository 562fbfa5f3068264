import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SplitResult } from '../../../src/core/dockerfile/instruction.js';
import { splitDockerfile } from '../../../src/core/dockerfile/split.js';
import { rejoinedBytes } from '../../helpers/dockerfile-bytes.js';

interface Case {
  readonly name: string;
  readonly text: string;
  /** `KEYWORD start-end` for each instruction, in order. */
  readonly spans: readonly string[];
  readonly escape?: '\\' | '`';
  readonly directives?: Readonly<Record<string, string>>;
  /** Blank or comment lines inside continuations, by instruction index (others have none). */
  readonly empty?: Readonly<Record<number, readonly number[]>>;
  /** `NAME start-end` for every heredoc of the file, in order. */
  readonly heredocs?: readonly string[];
  /** BuildKit's reason for refusing the file, when it does. */
  readonly rejection?: string;
}

const cases: readonly Case[] = [
  // Lines and continuations
  { name: 'LF line ends', text: 'FROM a\nRUN b\n', spans: ['FROM 1-1', 'RUN 2-2'] },
  { name: 'CRLF line ends', text: 'FROM a\r\nRUN b \\\r\n  c\r\nRUN d\r\n', spans: ['FROM 1-1', 'RUN 2-3', 'RUN 4-4'] },
  { name: 'no final line end', text: 'FROM a\nRUN b', spans: ['FROM 1-1', 'RUN 2-2'] },
  { name: 'spaces and tabs after the escape still continue', text: 'RUN a \\ \t\n  b\nRUN c\n', spans: ['RUN 1-2', 'RUN 3-3'] },
  { name: 'a form feed after the escape does not continue', text: 'RUN a \\\f\nRUN b\n', spans: ['RUN 1-1', 'RUN 2-2'] },
  { name: 'an escaped escape at the end does not continue', text: 'ENV A=x\\\\\nENV B=y\n', spans: ['ENV 1-1', 'ENV 2-2'] },
  { name: 'every trailing CR is dropped, as BuildKit does', text: 'RUN a \\\r\r\nb\n', spans: ['RUN 1-2'] },
  { name: 'a lone escape line starts an instruction', text: '\\\nRUN a\n', spans: ['RUN 1-2'] },
  { name: 'indented instructions', text: '  FROM a\n\tRUN b\n', spans: ['FROM 1-1', 'RUN 2-2'] },
  { name: 'keywords upper-cased, unknown ones too', text: 'from a\nnEeD volume x /y\nADDRESS web\n', spans: ['FROM 1-1', 'NEED 2-2', 'ADDRESS 3-3'] },
  { name: 'continuation at end of file', text: 'FROM a\nRUN b \\', spans: ['FROM 1-1', 'RUN 2-2'] },
  {
    name: 'continuation at end of file over blank lines',
    text: 'FROM a\nRUN b \\\n\n  \n',
    spans: ['FROM 1-1', 'RUN 2-4'],
    empty: { 1: [3, 4] },
  },
  {
    name: 'continuation over blank and comment lines',
    text: 'RUN a \\\n\n  # note\n  b\nRUN c\n',
    spans: ['RUN 1-4', 'RUN 5-5'],
    empty: { 0: [2, 3] },
  },
  {
    name: 'continuation over a blank line swallows the next instruction',
    text: 'RUN a \\\n\nNEED volume x /y\nRUN b\n',
    spans: ['RUN 1-3', 'RUN 4-4'],
    empty: { 0: [2] },
  },
  {
    name: 'a comment line ending in the escape neither continues nor ends',
    text: 'RUN a \\\n# c \\\nb\nRUN d\n',
    spans: ['RUN 1-3', 'RUN 4-4'],
    empty: { 0: [2] },
  },

  // Parser directives
  {
    name: 'backtick escape',
    text: '# escape=`\nFROM a\nRUN b `\n  c\nRUN d \\\nRUN e\n',
    spans: ['FROM 2-2', 'RUN 3-4', 'RUN 5-5', 'RUN 6-6'],
    escape: '`',
    directives: { escape: '`' },
  },
  {
    name: 'directive keys are case-insensitive, spaces allowed',
    text: '#ESCAPE = `\n  # Syntax=docker/dockerfile:1  \nRUN a `\n b\n',
    spans: ['RUN 3-4'],
    escape: '`',
    directives: { escape: '`', syntax: 'docker/dockerfile:1' },
  },
  { name: 'check directive', text: '# check=skip=all;error=true\nFROM a\n', spans: ['FROM 2-2'], directives: { check: 'skip=all;error=true' } },
  {
    name: 'directives after a blank line are not honored',
    text: '\n# escape=`\nRUN a `\nRUN b\n',
    spans: ['RUN 3-3', 'RUN 4-4'],
    escape: '\\',
    directives: {},
  },
  {
    name: 'a comment that is not a directive ends the directives',
    text: '# hello\n# escape=`\nRUN a `\nRUN b\n',
    spans: ['RUN 3-3', 'RUN 4-4'],
    escape: '\\',
    directives: {},
  },
  {
    name: 'an unknown directive ends the directives',
    text: '# foo=bar\n# escape=`\nRUN a `\nRUN b\n',
    spans: ['RUN 3-3', 'RUN 4-4'],
    directives: {},
  },
  {
    name: 'directives after an instruction are comments',
    text: 'FROM a\n# escape=`\nRUN b `\nRUN c\n',
    spans: ['FROM 1-1', 'RUN 3-3', 'RUN 4-4'],
    directives: {},
  },
  {
    name: 'a repeated directive is refused',
    text: '# escape=`\n# escape=\\\nFROM a\n',
    spans: ['FROM 3-3'],
    escape: '`',
    rejection: 'only one escape parser directive can be used',
  },
  {
    name: 'an escape other than \\ or ` is refused',
    text: '# escape=x\nFROM a\n',
    spans: ['FROM 2-2'],
    rejection: "invalid escape token 'x' does not match ` or \\",
  },
  {
    name: 'a byte-order mark does not hide the directives',
    text: '\uFEFF# escape=`\nRUN a `\n b\n',
    spans: ['RUN 2-3'],
    escape: '`',
  },

  // Heredocs
  { name: 'heredoc', text: 'RUN <<EOF\necho hi\nEOF\nRUN b\n', spans: ['RUN 1-3', 'RUN 4-4'], heredocs: ['EOF 2-3'] },
  { name: 'empty heredoc', text: 'RUN <<EOF\nEOF\n', spans: ['RUN 1-2'], heredocs: ['EOF 2-2'] },
  { name: '<<- allows tabs before the terminator', text: 'RUN <<-EOF\n\techo\n\t\tEOF\n', spans: ['RUN 1-3'], heredocs: ['EOF 2-3'] },
  { name: '<< does not', text: 'RUN <<EOF\n\tEOF\nEOF\n', spans: ['RUN 1-3'], heredocs: ['EOF 2-3'] },
  { name: 'file descriptor', text: 'RUN 3<<EOF cat /dev/fd/3\nEOF\n', spans: ['RUN 1-2'], heredocs: ['EOF 2-2'] },
  { name: 'spaces after <<', text: 'RUN cat <<  EOF > /x\nx\nEOF\n', spans: ['RUN 1-3'], heredocs: ['EOF 2-3'] },
  { name: '<<- then a space is not a heredoc', text: 'RUN <<- EOF\nEOF\n', spans: ['RUN 1-1', 'EOF 2-2'] },
  { name: '<< then a dash names -EOF', text: 'RUN << -EOF\n-EOF\n', spans: ['RUN 1-2'], heredocs: ['-EOF 2-2'] },
  { name: 'single-quoted delimiter', text: "RUN <<'EOF'\n$x\nEOF\n", spans: ['RUN 1-3'], heredocs: ['EOF 2-3'] },
  { name: 'double-quoted delimiter', text: 'RUN <<"EOF"\n$x\nEOF\n', spans: ['RUN 1-3'], heredocs: ['EOF 2-3'] },
  { name: 'partly quoted delimiter', text: "RUN <<E'O'F\nEOF\n", spans: ['RUN 1-2'], heredocs: ['EOF 2-2'] },
  { name: 'escaped quote in the delimiter', text: "RUN <<eo\\'f\neo'f\n", spans: ['RUN 1-2'], heredocs: ["eo'f 2-2"] },
  { name: 'quoted delimiter with a space', text: "RUN <<'one two'\none two\n", spans: ['RUN 1-2'], heredocs: ['one two 2-2'] },
  { name: 'a variable is kept as written', text: 'RUN <<$EOF\n$EOF\n', spans: ['RUN 1-2'], heredocs: ['$EOF 2-2'] },
  {
    name: 'several heredocs on one line, read in order',
    text: 'COPY <<A <<B /dest/\nB\nA\nA\nB\nRUN c\n',
    spans: ['COPY 1-5', 'RUN 6-6'],
    heredocs: ['A 2-3', 'B 4-5'],
  },
  {
    name: 'heredoc after flags and a continuation',
    text: 'RUN --mount=type=cache,target=/c \\\n  <<EOF\nx\nEOF\n',
    spans: ['RUN 1-4'],
    heredocs: ['EOF 3-4'],
  },
  { name: 'ADD takes heredocs', text: 'ADD <<EOF /x\nhi\nEOF\n', spans: ['ADD 1-3'], heredocs: ['EOF 2-3'] },
  { name: 'ONBUILD RUN takes heredocs', text: 'ONBUILD RUN <<EOF\nx\nEOF\n', spans: ['ONBUILD 1-3'], heredocs: ['EOF 2-3'] },
  { name: 'ONBUILD USER does not', text: 'ONBUILD USER <<EOF\nEOF\n', spans: ['ONBUILD 1-1', 'EOF 2-2'] },
  { name: 'USER does not', text: 'USER <<EOF\nEOF\n', spans: ['USER 1-1', 'EOF 2-2'] },
  { name: 'JSON form is never a heredoc', text: 'RUN ["cat", "<<EOF"]\nEOF\n', spans: ['RUN 1-1', 'EOF 2-2'] },
  { name: 'JSON form after flags neither', text: 'COPY --link ["<<EOF", "/x"]\nEOF\n', spans: ['COPY 1-1', 'EOF 2-2'] },
  { name: 'text that only looks like JSON is shell form', text: 'RUN ["a" <<EOF\nEOF\n', spans: ['RUN 1-2'], heredocs: ['EOF 2-2'] },
  { name: '<< inside double quotes', text: 'RUN echo "<<EOF"\nEOF\n', spans: ['RUN 1-1', 'EOF 2-2'] },
  { name: '<< inside single quotes', text: "RUN echo '<<EOF'\nEOF\n", spans: ['RUN 1-1', 'EOF 2-2'] },
  { name: '<< glued to a word', text: 'RUN cat<<EOF\nEOF\n', spans: ['RUN 1-1', 'EOF 2-2'] },
  { name: 'an unlexable line opens no heredoc', text: 'RUN <<EOF echo "oops\nEOF\n', spans: ['RUN 1-1', 'EOF 2-2'] },
  {
    name: 'heredoc bodies hold no instructions, comments or directives',
    text: 'RUN <<EOF\n# escape=`\nNEED volume a /b\n\nEOF\nRUN c\n',
    spans: ['RUN 1-5', 'RUN 6-6'],
    heredocs: ['EOF 2-5'],
  },
  { name: 'terminator with CRLF', text: 'RUN <<EOF\r\nx\r\nEOF\r\n', spans: ['RUN 1-3'], heredocs: ['EOF 2-3'] },
  {
    name: 'an unterminated heredoc runs to the end and is refused',
    text: 'RUN <<EOF\nx\nRUN y\n',
    spans: ['RUN 1-3'],
    heredocs: ['EOF 2-3'],
    rejection: 'unterminated heredoc',
  },

  // Files BuildKit refuses
  { name: 'empty file', text: '', spans: [], rejection: 'file with no instructions' },
  { name: 'only a byte-order mark', text: '\uFEFF', spans: [], rejection: 'file with no instructions' },
  { name: 'only comments and blank lines', text: '# a\n\n  \n', spans: [], rejection: 'file with no instructions' },
  { name: 'ENV without a value', text: 'FROM a\nENV PATH\n', spans: ['FROM 1-1', 'ENV 2-2'], rejection: 'ENV must have two arguments' },
  {
    name: 'JSON form with a non-string',
    text: 'CMD ["a", 1]\n',
    spans: ['CMD 1-1'],
    rejection: 'when using JSON array syntax, arrays must be comprised of strings only',
  },
];

function spansOf(result: SplitResult): string[] {
  return result.instructions.map(({ keyword, startLine, endLine }) => `${keyword} ${startLine}-${endLine}`);
}

function rejoin(result: SplitResult): string {
  return rejoinedBytes(result).toString('utf8');
}

describe('splitDockerfile', () => {
  for (const c of cases) {
    test(c.name, () => {
      const result = splitDockerfile(c.text);
      assert.deepEqual(spansOf(result), c.spans);
      assert.equal(result.escape, c.escape ?? '\\');
      if (c.directives) assert.deepEqual(result.directives, c.directives);
      result.instructions.forEach((instruction, index) => {
        assert.deepEqual(instruction.emptyContinuationLines, c.empty?.[index] ?? [], `empty lines of #${index}`);
      });
      const heredocs = result.instructions.flatMap((i) => i.heredocs.map((h) => `${h.name} ${h.startLine}-${h.endLine}`));
      assert.deepEqual(heredocs, c.heredocs ?? []);
      assert.equal(result.rejection?.message, c.rejection);
      assert.equal(rejoin(result), c.text);
    });
  }

  test('segments: the instruction text line by line, escapes and skipped lines left out', () => {
    const result = splitDockerfile('FROM a\n  RUN a \\\n   b `\\  \n\n# c\n  c\n');
    const run = result.instructions[1];
    assert.ok(run);
    assert.deepEqual(run.segments, [
      { line: 2, column: 3, text: 'RUN a ' },
      { line: 3, column: 1, text: '   b `' },
      { line: 6, column: 1, text: '  c' },
    ]);
    assert.deepEqual(run.emptyContinuationLines, [4, 5]);
    assert.equal(run.segments.map((segment) => segment.text).join(''), 'RUN a    b `  c');
  });

  test('segments: columns on the first line do not count the byte-order mark', () => {
    const result = splitDockerfile('\uFEFF\tFROM a\r\n');
    assert.equal(result.bom, true);
    assert.deepEqual(result.lines, [{ number: 1, text: '\tFROM a', eol: '\r\n' }]);
    assert.deepEqual(result.instructions[0]?.segments, [{ line: 1, column: 2, text: 'FROM a' }]);
  });

  test('segments leave heredoc bodies out', () => {
    const [copy] = splitDockerfile('COPY <<EOF /x\nbody\nEOF\n').instructions;
    assert.deepEqual(copy?.segments, [{ line: 1, column: 1, text: 'COPY <<EOF /x' }]);
  });

  test('lines keep every line ending as it was', () => {
    const text = 'a\r\nb\n\r\n\nc\rd\r';
    const result = splitDockerfile(text);
    assert.deepEqual(
      result.lines.map((line) => [line.number, line.text, line.eol]),
      [
        [1, 'a', '\r\n'],
        [2, 'b', '\n'],
        [3, '', '\r\n'],
        [4, '', '\n'],
        [5, 'c\rd\r', ''],
      ],
    );
    assert.equal(rejoin(result), text);
  });

  test('a line longer than BuildKit reads is refused', () => {
    const result = splitDockerfile(`FROM a\nRUN ${'x'.repeat(70_000)}\n`);
    assert.deepEqual(spansOf(result), ['FROM 1-1', 'RUN 2-2']);
    assert.deepEqual(result.rejection, { line: 2, message: 'dockerfile line greater than max allowed size of 65535' });
  });

  test('10,000 instructions split into 10,000 instructions', () => {
    const parts = ['FROM a\n'];
    for (let i = 1; i < 10_000; i++) parts.push(i % 3 === 0 ? `COPY <<EOF /f${i}\n${i}\nEOF\n` : `RUN echo ${i} \\\n  && true\n`);
    const result = splitDockerfile(parts.join(''));
    assert.equal(result.instructions.length, 10_000);
    assert.equal(result.rejection, undefined);
  });

  test('never throws, and the lines always join back into the text', () => {
    const alphabet = ['RUN ', 'COPY ', 'ONBUILD ', 'ENV ', '# escape=`', '#', '\\', '`', '\n', '\r\n', '\r', ' ', '\t',
      '<<', '<<-', 'EOF', '"', "'", '$', '${', '}', ':-', '[', ']', '"a"', ',', '=', 'x', '\uFEFF', '\u00a0', '😀'];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      let text = '';
      for (let length = random(40); length > 0; length--) text += alphabet[random(alphabet.length)] ?? '';
      const result = splitDockerfile(text);
      assert.equal(rejoin(result), text);
      let previous = 0;
      for (const instruction of result.instructions) {
        assert.ok(instruction.startLine > previous && instruction.endLine >= instruction.startLine, JSON.stringify(text));
        previous = instruction.endLine;
      }
      assert.ok(previous <= result.lines.length);
    }
  });
});
