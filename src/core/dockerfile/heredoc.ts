import { TAB } from './char-codes.js';
import { goDecode, isRegexpSpace, utf8Bytes, type ByteString } from './go-strings.js';
import type { Heredoc } from './instruction.js';
import { ShellLexer } from './shell-words.js';
import { withoutCarriageReturns, type LineScanner } from './source-lines.js';

// BuildKit (`heredocsFromLine`) lexes the whole logical line like a shell (quotes, escapes and `$`
// kept) and takes every word of the form `[n]<<[-]NAME` as a heredoc (`ParseHeredoc`); NAME is then
// lexed once more, quotes removed, and must come out as a single word. The lexer reads runes
// (Go's `text/scanner`: an invalid byte is U+FFFD), so it is given the decoded line.

/** A heredoc an instruction opens: the name that ends its body, and whether leading tabs are stripped. */
export interface HeredocMark {
  readonly name: string;
  readonly chomp: boolean;
}

/** The heredocs a logical line opens, in order, or why BuildKit refuses the line. */
export function heredocMarks(line: ByteString): { readonly marks: HeredocMark[] } | { readonly error: string } {
  const lexed = new ShellLexer({ rawQuotes: true, rawEscapes: true }).words(goDecode(line));
  const marks: HeredocMark[] = [];
  // BuildKit ignores a line it cannot lex here: such a line opens no heredoc.
  if ('error' in lexed) return { marks };
  for (const word of lexed.words) {
    const mark = heredocWord(word);
    if (mark === undefined) continue;
    const named = heredocName(mark.rest);
    if (typeof named === 'object') return named;
    if (named !== undefined) marks.push({ name: named, chomp: mark.chomp });
  }
  return { marks };
}

/** BuildKit's `reHeredoc`, `^(\d*)<<(-?)\s*([^<]*)$` (ASCII `\d` and `\s`), without the backtracking. */
function heredocWord(word: string): { chomp: boolean; rest: string } | undefined {
  let at = 0;
  while (at < word.length && word.charCodeAt(at) >= 0x30 && word.charCodeAt(at) <= 0x39) at++;
  if (!word.startsWith('<<', at)) return undefined;
  at += 2;
  const chomp = word.charAt(at) === '-';
  if (chomp) at++;
  while (isRegexpSpace(word.charCodeAt(at))) at++;
  const rest = word.slice(at);
  return rest.includes('<') ? undefined : { chomp, rest };
}

/** `heredocFromMatch`: the NAME lexed with quotes removed and kept, which must agree on one word. */
function heredocName(rest: string): string | { readonly error: string } | undefined {
  if (rest === '') return undefined;
  const plain = new ShellLexer({ rawQuotes: false, rawEscapes: false }).words(rest);
  if ('error' in plain) return plain;
  if (plain.words.length !== 1) return undefined;
  const raw = new ShellLexer({ rawQuotes: true, rawEscapes: false }).words(rest);
  if ('error' in raw) return raw;
  if (raw.words.length !== 1) return { error: `internal lexing of heredoc produced inconsistent results: ${rest}` };
  return plain.words[0];
}

/**
 * Reads the bodies that follow an instruction: one after another, each up to the line whose bytes
 * are exactly its name's UTF-8 (BuildKit's `bytes.Equal(possibleTerminator, []byte(heredoc.Name))`).
 * Stops at the first body the file ends inside, which is then `unterminated`.
 */
export function readHeredocBodies(
  marks: readonly HeredocMark[],
  scanner: LineScanner,
): { readonly heredocs: Heredoc[]; readonly unterminated: boolean } {
  const heredocs: Heredoc[] = [];
  for (const { name, chomp } of marks) {
    const terminatorBytes = utf8Bytes(name);
    const startLine = scanner.current + 1;
    let terminator: number | undefined;
    for (let line = scanner.read(); line; line = scanner.read()) {
      const text = withoutCarriageReturns(line.text);
      if ((chomp ? withoutLeadingTabs(text) : text) === terminatorBytes) {
        terminator = line.number;
        break;
      }
    }
    heredocs.push({ name, startLine, endLine: terminator ?? scanner.current });
    if (terminator === undefined) return { heredocs, unterminated: true };
  }
  return { heredocs, unterminated: false };
}

/** BuildKit's `trimLeadingTabs` (`bytes.TrimLeft(line, "\t")`), for `<<-` terminators. */
function withoutLeadingTabs(text: ByteString): ByteString {
  let start = 0;
  while (text.charCodeAt(start) === TAB) start++;
  return text.slice(start);
}
