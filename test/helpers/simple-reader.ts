// A second, deliberately simple reading of a Dockerfile's instruction spans, written straight from
// BuildKit's `Parse` loop and independent of src/: Buffers, regular expressions on latin1 text,
// and a table of the UTF-8 spaces. It knows only the heredoc forms the generator writes
// (`[n]<<NAME`, `<<-NAME`, `<< NAME`, quoted NAME), and only ASCII, unquoted builder flags.

export interface SimpleInstruction {
  readonly keyword: string;
  readonly start: number;
  readonly end: number;
  readonly heredocs: readonly string[];
}

/** `unicode.IsSpace` runes as UTF-8, longest first; any other byte sequence is no space. */
const SPACES = [
  '\xe1\x9a\x80', '\xe2\x80\x80', '\xe2\x80\x81', '\xe2\x80\x82', '\xe2\x80\x83', '\xe2\x80\x84', '\xe2\x80\x85',
  '\xe2\x80\x86', '\xe2\x80\x87', '\xe2\x80\x88', '\xe2\x80\x89', '\xe2\x80\x8a', '\xe2\x80\xa8', '\xe2\x80\xa9',
  '\xe2\x80\xaf', '\xe2\x81\x9f', '\xe3\x80\x80', '\xc2\x85', '\xc2\xa0', ' ', '\t', '\n', '\v', '\f', '\r',
];
/** Bytes that `unicode.IsSpace(rune(b))` takes for spaces. */
const BYTE_SPACE = /[ \t\n\v\f\r\x85\xa0]/;

function trimLeft(line: string): string {
  for (;;) {
    const space = SPACES.find((s) => line.startsWith(s));
    if (space === undefined) return line;
    line = line.slice(space.length);
  }
}

function trimRight(line: string): string {
  for (;;) {
    const space = SPACES.find((s) => line.endsWith(s));
    if (space === undefined) return line;
    line = line.slice(0, -space.length);
  }
}

const trimNewline = (line: string): string => line.replace(/[\r\n]+$/, '');
const isComment = (line: string): boolean => trimLeft(line).startsWith('#');

/** Instruction spans (1-based lines) and heredoc names, as BuildKit finds them, in a file the generator wrote. */
export function simpleSpans(file: Buffer): SimpleInstruction[] {
  let text = file.toString('latin1');
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let escape = '\\';
  let directives = true;
  const found: SimpleInstruction[] = [];
  let next = 0;
  const continuation = () => new RegExp(`([^\\${escape}])\\${escape}[ \\t]*$|^\\${escape}[ \\t]*$`);
  while (next < lines.length) {
    const start = next + 1;
    let line = trimLeft(trimNewline(lines[next++] ?? ''));
    if (directives) {
      const directive = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/.exec(line);
      if (directive && ['syntax', 'escape', 'check'].includes(directive[1]?.toLowerCase() ?? '')) {
        if (directive[1]?.toLowerCase() === 'escape') escape = directive[2] ?? '\\';
      } else directives = false;
    }
    if (line.startsWith('#')) continue;
    let continues = continuation().test(line);
    if (!continues && line === '') continue;
    let logical = line.replace(continuation(), '$1');
    while (continues && next < lines.length) {
      const raw = lines[next++] ?? '';
      if (isComment(raw)) continue;
      const part = trimNewline(raw);
      if (trimLeft(part) === '') continue;
      continues = continuation().test(part);
      logical += part.replace(continuation(), '$1');
    }
    const { keyword, trigger, args } = command(logical, escape);
    const heredocs: string[] = [];
    const takes = ['RUN', 'COPY', 'ADD'].includes(trigger) && !trimLeft(args).startsWith('[');
    if (takes) {
      const pattern = /(?:^|[ \t])\d*<<(-?)[ \t]*(['"]?)([A-Za-z_]+)\2(?=[ \t]|$)/g;
      for (const match of logical.matchAll(pattern)) {
        const [, chomp, , name] = match;
        heredocs.push(name ?? '');
        while (next < lines.length) {
          const body = trimNewline(lines[next++] ?? '');
          if ((chomp ? body.replace(/^\t+/, '') : body) === name) break;
        }
      }
    }
    found.push({ keyword, start, end: next, heredocs });
  }
  return found;
}

/** The keyword, the command that decides about heredocs (ONBUILD's trigger), and its arguments. */
function command(logical: string, escape: string): { keyword: string; trigger: string; args: string } {
  const [name, rest] = cut(trimRight(trimLeft(logical)));
  const keyword = Buffer.from(name, 'latin1').toString('utf8').toUpperCase();
  const args = trimRight(trimLeft(skipFlags(rest, escape)));
  if (keyword !== 'ONBUILD') return { keyword, trigger: keyword, args };
  const [triggerName, triggerRest] = cut(args);
  return { keyword, trigger: triggerName.toUpperCase(), args: trimRight(trimLeft(skipFlags(triggerRest, escape))) };
}

function cut(text: string): [string, string] {
  const gap = /[\t\v\f\r ]+/.exec(text);
  return gap ? [text.slice(0, gap.index), text.slice(gap.index + gap[0].length)] : [text, ''];
}

/** Unquoted `--flag` words end at a byte space; the escape character takes the byte after it into the word. */
function skipFlags(text: string, escape: string): string {
  let at = 0;
  for (;;) {
    while (at < text.length && BYTE_SPACE.test(text.charAt(at))) at++;
    if (!text.startsWith('--', at)) return text.slice(at);
    while (at < text.length && !BYTE_SPACE.test(text.charAt(at))) at += text.charAt(at) === escape ? 2 : 1;
  }
}
