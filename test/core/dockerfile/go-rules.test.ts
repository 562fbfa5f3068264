import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyseDockerfile } from '../../../src/core/dockerfile/analyse.js';
import { stripStatements } from '../../../src/core/dockerfile/preprocess.js';
import { splitDockerfile } from '../../../src/core/dockerfile/split.js';

// Where BuildKit's parser, written in Go, reads bytes with Go's rules and JavaScript's rules would
// differ: one case per reproduction of a disagreement found by comparing berth with BuildKit itself.
// `à` is U+00E0, the bytes C3 A0, whose second byte BuildKit's byte-wise scans take for a space.

const NOT_STRINGS = 'when using JSON array syntax, arrays must be comprised of strings only';

interface SplitCase {
  readonly name: string;
  /** The file: text (UTF-8), or bytes. */
  readonly file: string | Buffer;
  readonly spans: readonly string[];
  readonly heredocs?: readonly string[];
  readonly rejection?: string;
}

const splitCases: readonly SplitCase[] = [
  // Builder flags: the file's escape, and spaces tested byte by byte.
  {
    name: 'a flag ends at the 0xA0 byte of à, so ONBUILD RUN opens a heredoc',
    file: 'FROM a\nONBUILD --x=àRUN <<EOF\nNEED network n\nEOF\n',
    spans: ['FROM 1-1', 'ONBUILD 2-4'],
    heredocs: ['EOF 3-4'],
  },
  {
    name: 'a flag with à, then a space',
    file: 'FROM a\nONBUILD --x=à RUN <<EOF\nNEED network n\nEOF\n',
    spans: ['FROM 1-1', 'ONBUILD 2-4'],
    heredocs: ['EOF 3-4'],
  },
  {
    name: 'under a backtick escape, a backslash in a flag escapes nothing',
    file: '# escape=`\nONBUILD --x=\\ RUN <<EOF\nNEED network n\nEOF\n',
    spans: ['ONBUILD 2-4'],
    heredocs: ['EOF 3-4'],
  },
  {
    name: 'under a backtick escape, a backtick in a flag escapes the space',
    file: '# escape=`\nONBUILD --x=` RUN <<EOF\nEOF\n',
    spans: ['ONBUILD 2-2', 'EOF 3-3'],
  },
  {
    name: 'U+2028 in a flag is no space (no byte of it is)',
    file: 'FROM a\nRUN --x=\u2028 <<EOF\nEOF\n',
    spans: ['FROM 1-1', 'RUN 2-3'],
    heredocs: ['EOF 3-3'],
  },
  { name: 'ENV U+00A0 --x y: the flag scan sees no space, the trim does', file: 'FROM a\nENV \u00a0 --x y\n', spans: ['FROM 1-1', 'ENV 2-2'] },
  {
    name: 'LABEL --à x: the flag ends inside à, leaving one word',
    file: 'FROM a\nLABEL --à x\n',
    spans: ['FROM 1-1', 'LABEL 2-2'],
    rejection: 'LABEL must have two arguments',
  },
  // JSON numbers beyond float64: Go's decoder fails, BuildKit reads shell form.
  { name: 'CMD [1e400] is shell form', file: 'FROM a\nCMD [1e400]\n', spans: ['FROM 1-1', 'CMD 2-2'] },
  { name: 'an out-of-range number anywhere makes shell form', file: 'FROM a\nCMD ["a", [-1e999]]\n', spans: ['FROM 1-1', 'CMD 2-2'] },
  { name: 'CMD [1e-400] is a number still', file: 'FROM a\nCMD [1e-400]\n', spans: ['FROM 1-1', 'CMD 2-2'], rejection: NOT_STRINGS },
  { name: 'RUN [1e400] <<EOF is shell form, so a heredoc', file: 'RUN [1e400] <<EOF\nEOF\n', spans: ['RUN 1-2'], heredocs: ['EOF 2-2'] },
  // HEALTHCHECK splits its type word off byte by byte.
  { name: 'HEALTHCHECK CMD U+2028 [1]: one word, no JSON', file: 'FROM a\nHEALTHCHECK CMD\u2028[1]\n', spans: ['FROM 1-1', 'HEALTHCHECK 2-2'] },
  {
    name: 'HEALTHCHECK CMDà [1]: the type ends inside à',
    file: 'FROM a\nHEALTHCHECK CMDà [1]\n',
    spans: ['FROM 1-1', 'HEALTHCHECK 2-2'],
    rejection: NOT_STRINGS,
  },
  // Runes where Go decodes them.
  { name: 'U+0085 before a keyword is trimmed', file: '\u0085FROM a\n', spans: ['FROM 1-1'] },
  { name: 'a lone 0x85 byte is not', file: Buffer.from('\x85FROM a\n', 'latin1'), spans: ['\uFFFDFROM 1-1'] },
  { name: 'a line of U+00A0 is blank', file: 'FROM a\nRUN b \\\n\u00a0\nRUN c\n', spans: ['FROM 1-1', 'RUN 2-4'] },
  {
    name: 'a heredoc name with invalid UTF-8 ends at the same bytes decoded as U+FFFD',
    file: Buffer.concat([Buffer.from('RUN <<E'), Buffer.from([0xff]), Buffer.from('\nE\xef\xbf\xbd\n', 'latin1')]),
    spans: ['RUN 1-2'],
    heredocs: ['E\uFFFD 2-2'],
  },
];

function splitOf(file: string | Buffer) {
  const result = splitDockerfile(file);
  return {
    spans: result.instructions.map(({ keyword, startLine, endLine }) => `${keyword} ${startLine}-${endLine}`),
    heredocs: result.instructions.flatMap((i) => i.heredocs.map((h) => `${h.name} ${h.startLine}-${h.endLine}`)),
    rejection: result.rejection?.message,
  };
}

describe('splitDockerfile follows Go where Go and JavaScript differ', () => {
  for (const c of splitCases) {
    test(c.name, () => {
      assert.deepEqual(splitOf(c.file), { spans: c.spans, heredocs: c.heredocs ?? [], rejection: c.rejection });
    });
  }
});

function analyse(file: string | Buffer) {
  const analysis = analyseDockerfile(file, { file: 'Dockerfile' });
  return {
    problems: analysis.problems.map((p) => `${p.line}:${p.column}: ${p.severity} ${p.code}`),
    needs: analysis.needs.map((need) => JSON.stringify({ ...need, origin: undefined })),
  };
}

describe('bytes in, the same bytes out', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  test('a Latin-1 é stays the byte 0xE9 in a file without statements', () => {
    const file = latin1('FROM a\n# Maintainer: Ren\xe9\nRUN echo caf\xe9\n');
    const analysis = analyseDockerfile(file, { file: 'Dockerfile' });
    assert.deepEqual(analysis.problems, []);
    assert.ok(Buffer.from(stripStatements(file, analysis.split, analysis.statements)).equals(file));
  });

  test('and in a file with statements, where only the statement lines change', () => {
    const file = latin1('\xef\xbb\xbfFROM a\r\n# Ren\xe9\r\nNEED network n\r\nRUN echo caf\xe9 \xff\r\n');
    const analysis = analyseDockerfile(file, { file: 'Dockerfile' });
    assert.deepEqual(analysis.problems, []);
    const plain = Buffer.from(stripStatements(file, analysis.split, analysis.statements));
    assert.ok(plain.equals(latin1('\xef\xbb\xbfFROM a\r\n# Ren\xe9\r\n\r\nRUN echo caf\xe9 \xff\r\n')));
  });

  test('a statement argument that is not UTF-8 is refused, at its byte column', () => {
    assert.deepEqual(analyse(latin1('FROM a\nNEED volume caf\xe9 /data\n')).problems, ['2:13: error statement.not-utf8']);
  });

  test('columns count bytes, as BuildKit does', () => {
    assert.deepEqual(analyse('FROM a\nNEED network ünknown!\n').problems, ['2:14: error statement.bad-network']);
  });
});

describe('statements read with Go rules', () => {
  test('a continuation over a comment into the statement\'s own words is one statement', () => {
    const found = analyse('FROM a\nNEED \\\n# the data volume\n  volume data /data\n');
    assert.deepEqual(found.problems, []);
    assert.equal(found.needs.length, 1);
    assert.match(found.needs[0] ?? '', /"kind":"volume","name":"data","target":"\/data"/);
  });

  test('the same with address', () => {
    const found = analyse('FROM a\nNEED \\\n# a comment\naddress web\n');
    assert.deepEqual(found.problems, []);
    assert.equal(found.needs.length, 1);
  });

  test('a complete statement continued over a blank line into an instruction is still refused', () => {
    assert.deepEqual(analyse('FROM a\nNEED network n \\\n\nVOLUME /x\n').problems, ['2:1: error statement.continuation-trap']);
  });

  test('a complete ADDRESS continued over a comment into another ADDRESS is refused', () => {
    assert.deepEqual(analyse('FROM a\nADDRESS a \\\n# next one\naddress b\n').problems, ['2:1: error statement.continuation-trap']);
  });

  test('a statement swallowed by another instruction warns once, however many empty lines', () => {
    assert.deepEqual(analyse('FROM a\nRUN a \\\n\n# c\nNEED network n\n').problems, ['5:1: warning statement.swallowed']);
  });

  for (const [name, file, column] of [
    ['ONBUILD --x=1 NEED', 'FROM a\nONBUILD --x=1 NEED network n\n', 15],
    ['ONBUILD -- ADDRESS', 'FROM a\nONBUILD -- ADDRESS web\n', 12],
    ['ONBUILD ADDRESS with a backslash under a backtick escape', '# escape=`\nFROM a\nONBUILD ADDRESS web\\\n', 9],
    ['U+0085 before the trigger', 'FROM a\nONBUILD \u0085NEED network n\n', 11],
    ['a quoted flag value with a space', 'FROM a\nONBUILD --x="a b" NEED network n\n', 19],
  ] as const) {
    test(`${name} is refused`, () => {
      const line = name.includes('backtick') ? 3 : 2;
      assert.deepEqual(analyse(file).problems, [`${line}:${column}: error statement.onbuild`]);
    });
  }

  test('ONBUILD with a flag before another trigger is fine', () => {
    assert.deepEqual(analyse('FROM a\nONBUILD --x=NEED RUN true\n').problems, []);
  });

  test('U+0085 before the keyword on a continuation line: a NEED, read in full', () => {
    const found = analyse('FROM a\n\\\n\u0085 NEED network n\n');
    assert.deepEqual(found.problems, []);
    assert.match(found.needs[0] ?? '', /"kind":"network","name":"n"/);
  });

  test('arguments are separated by any Unicode space', () => {
    const found = analyse('FROM a\nNEED\tvolume\u00a0data\u2028/data\u0085ro\n');
    assert.deepEqual(found.problems, []);
    assert.match(found.needs[0] ?? '', /"name":"data","target":"\/data","mode":"ro"/);
  });

  test('FROM words are split as BuildKit splits them, flags taken off', () => {
    const analysis = analyseDockerfile('FROM --platform="linux/amd64 x" base AS build\nFROM build\nNEED network n\n', { file: 'Dockerfile' });
    assert.deepEqual(analysis.stages.map((s) => [s.base, s.name, s.parent, s.at.column]), [
      ['base', 'build', undefined, 33],
      ['build', undefined, 0, 6],
    ]);
  });
});
