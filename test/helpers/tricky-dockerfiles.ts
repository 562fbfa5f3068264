// A seeded generator of Dockerfiles that exercise what BuildKit's parser is sensitive to: escape
// directives, continuations with trailing blanks and with blank or comment lines inside, heredocs
// of every form with bodies that look like instructions and statements, CRLF, a BOM, non-ASCII
// text and invalid UTF-8, builder flags, JSON forms, HEALTHCHECK and ONBUILD. Same seed, same files.

/** A small, fast, seeded generator of numbers (mulberry32). */
export function randomSource(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

/** UTF-8 text as latin1 bytes, so that raw bytes can sit beside it. */
const u8 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

const ODD_TEXT = [u8('à'), u8('ü\u00a0x'), u8('\u2028'), u8('\u0085'), '\xe9', '\xff\xfe', u8('😀'), '\xc3', 'caf\xe9'];
const HEREDOC_FORMS = ['<<NAME', '<<-NAME', '3<<NAME', '<< NAME', "<<'NAME'", '<<"NAME"'];
const BODY_LINES = ['NEED network body', 'ADDRESS fake', 'FROM nothing', '# escape=`', 'RUN echo', '', '  ', 'NAME ', `x ${u8('à')} \xe9`];
/** Instructions that may open heredocs, some only because of how their flags are read (byte by byte, with the file's escape). */
const HEREDOC_HEADS = [
  'RUN', 'run', 'RUN --mount=type=cache,target=/c', 'COPY', 'ADD --chmod=644', 'ONBUILD RUN', 'ONBUILD --x=1 COPY',
  `ONBUILD --x=${u8('à')}RUN`, `ONBUILD --x=${u8('\u2028')}RUN`, 'ONBUILD --x=\\ RUN', 'ONBUILD --x=` RUN', `ONBUILD ${u8('\u0085')}RUN`,
];
const INDENTS = ['', '', '  ', '\t', u8('\u00a0')];

/** One generated file: its bytes, and the escape character its directives choose. */
export function trickyDockerfile(random: (n: number) => number): Buffer {
  const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T;
  const eol = random(4) === 0 ? '\r\n' : '\n';
  const escape = random(4) === 0 ? '`' : '\\';
  const lines: string[] = [];
  if (random(5) === 0) lines.push('# syntax=docker/dockerfile:1');
  if (escape === '`') lines.push(pick(['# escape=`', '#ESCAPE = `', '  # escape=`']));
  const odd = () => (random(3) === 0 ? ` ${pick(ODD_TEXT)}` : '');
  const blanks = () => (random(2) === 0 ? pick(['', ' ', '\t', ' \t']) : '');
  /** An instruction's first line that continues, and the lines that may sit inside the continuation. */
  const continued = (first: string, rest: string, inside = ['', '  ', '# note \\', `# ${pick(ODD_TEXT)}`]) => {
    lines.push(`${first} ${escape}${blanks()}`);
    for (let n = random(3); n > 0; n--) lines.push(pick(inside));
    lines.push(rest);
  };
  const heredoc = (head: string, tail: string) => {
    const names = random(4) === 0 ? ['A', 'B'] : ['EOF'];
    const forms = names.map((name) => pick(HEREDOC_FORMS).replace('NAME', name));
    lines.push(`${head} ${forms.join(' ')}${tail}`);
    forms.forEach((form, i) => {
      const name = names[i] ?? 'EOF';
      for (let n = random(4); n > 0; n--) lines.push(pick(BODY_LINES).replace('NAME', name));
      lines.push(form.includes('-') ? `\t${name}` : name);
    });
  };

  lines.push(`${pick(INDENTS)}FROM base${random(3) === 0 ? ' AS build' : ''}`);
  for (let count = 3 + random(10); count > 0; count--) {
    const indent = pick(INDENTS);
    switch (random(15)) {
      case 0:
        lines.push(`${indent}RUN echo hi${odd()}${random(3) === 0 ? ` ${escape}${escape}` : ''}`);
        break;
      case 1:
        continued(`${indent}RUN echo a${odd()}`, `  && echo b${odd()}`, ['', '  ', '# c', 'NEED network swallowed', `${u8('\u00a0')}`]);
        break;
      case 2:
        heredoc(`${indent}${pick(HEREDOC_HEADS)}`, pick(['', ' /dst/', ' cat']));
        break;
      case 3:
        lines.push(`${indent}${pick(['RUN', 'CMD', 'COPY', 'VOLUME'])} ["echo", "<<EOF"${random(2) ? `, "${pick(['à', 'x', 'y z'])}"` : ''}]`);
        break;
      case 4:
        lines.push(`${indent}HEALTHCHECK ${pick(['NONE', 'CMD true', '--interval=5s CMD ["true"]', `CMD${u8('\u2028')}true`])}`);
        break;
      case 5:
        lines.push(`${indent}ONBUILD ${pick(['RUN true', '--x=1 RUN true', 'COPY a b', `--y=${u8('à')} RUN true`])}`);
        break;
      case 6:
        lines.push(`${indent}${pick(['NEED', 'need', 'Need'])} network n${random(9)}`);
        break;
      case 7:
        lines.push(`${indent}ADDRESS web${random(9)}${random(2) ? ` db${random(9)}` : ''}`);
        break;
      case 8:
        continued(`${indent}NEED volume v${random(9)}`, `  /data${random(9)}${random(2) ? ' ro' : ''}`, ['# the data volume', `# ${pick(ODD_TEXT)}`]);
        break;
      case 9:
        continued(`${indent}NEED`, `${pick(INDENTS)}network n${random(9)}`, ['# the kind follows']);
        break;
      case 10:
        lines.push(pick(['', '  ', `# ${pick(ODD_TEXT)}`, '#', `# NEED network commented`]));
        break;
      case 11:
        lines.push(`${indent}ENV ${pick(['A=1', 'A 1', `B=${u8('à')}`, 'C="x y"'])}`);
        break;
      case 12:
        lines.push(`${indent}LABEL ${pick(['a=b', `maintainer="Ren\xe9"`, 'c="d e"'])}`);
        break;
      case 13:
        lines.push(`${indent}COPY --from=build${odd()} /a /b`);
        break;
      default:
        lines.push(`${indent}WORKDIR /w${odd()}`);
    }
  }
  const bom = random(6) === 0 ? '\xef\xbb\xbf' : '';
  const last = random(5) === 0 ? `RUN end ${escape}` : 'RUN end';
  const text = bom + [...lines, last].join(eol) + (random(4) === 0 ? '' : eol);
  return Buffer.from(text, 'latin1');
}
