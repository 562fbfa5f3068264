import type { Heredoc, Instruction, Rejection, Segment, SourceLine, SplitResult } from './instruction.js';

type Escape = SplitResult['escape'];

const BOM = 0xfeff;
const TAB = 0x09;
const CR = 0x0d;
const HASH = 0x23;
/** BuildKit reads lines with Go's bufio.Scanner, whose longest line (ending included) is 64 KiB. */
const SCANNER_LIMIT = 64 * 1024;
const DIRECTIVE_KEYS: ReadonlySet<string> = new Set(['syntax', 'escape', 'check']);
const HEREDOC_COMMANDS: ReadonlySet<string> = new Set(['add', 'copy', 'run']);
const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';
const COMMAND_GAP = /[\t\v\f\r ]+/;
const ASCII_GAP = /[\t\v\f\r ]/;
const DIRECTIVE_KEY = /^[a-zA-Z][a-zA-Z0-9]*/;
const UNICODE_DIGIT = /^\p{Nd}$/u;
const UNICODE_LETTER = /^\p{L}$/u;
const NONE: readonly never[] = Object.freeze([]);

/**
 * Splits a Dockerfile into instructions exactly where BuildKit's parser does, so that a rewrite that
 * works line by line never changes what BuildKit reads. Pure, linear in the text, never throws.
 */
export function splitDockerfile(text: string): SplitResult {
  const bom = text.charCodeAt(0) === BOM;
  return new Splitter(readLines(text, bom ? 1 : 0), bom).split();
}

/** Walks the lines once, in the order BuildKit's scanner reads them. */
class Splitter {
  private next = 0;
  private current = 0;
  private escape: Escape = '\\';
  private scanningDirectives = true;
  private readonly seenDirectives = new Set<string>();
  private readonly directives: Record<string, string> = {};
  private readonly instructions: Instruction[] = [];
  private rejection: Rejection | undefined;

  constructor(
    private readonly lines: readonly SourceLine[],
    private readonly bom: boolean,
  ) {}

  split(): SplitResult {
    for (let line = this.read(); line; line = this.read()) {
      const text = withoutCarriageReturns(line.text);
      const indent = leadingSpaceLength(text);
      const token = text.slice(indent);
      if (this.scanningDirectives) this.directive(token, line.number);
      if (token.charCodeAt(0) === HASH) continue;
      const cut = continuationAt(token, this.escape);
      if (cut < 0 && token === '') continue;
      this.instructions.push(this.instruction(line.number, indent + 1, token, cut));
    }
    if (this.instructions.length === 0) this.reject(Math.max(this.current, 1), 'file with no instructions');
    return {
      escape: this.escape,
      directives: this.directives,
      bom: this.bom,
      lines: this.lines,
      instructions: this.instructions,
      ...(this.rejection ? { rejection: this.rejection } : {}),
    };
  }

  private read(): SourceLine | undefined {
    const line = this.lines[this.next];
    if (line === undefined) return undefined;
    this.next += 1;
    this.current = line.number;
    if (tooLongForScanner(line, this.bom)) {
      this.reject(line.number, `dockerfile line greater than max allowed size of ${SCANNER_LIMIT - 1}`);
    }
    return line;
  }

  private reject(line: number, message: string): void {
    this.rejection ??= { line, message };
  }

  /** Directives count only in the leading block of `#` lines; any other line ends it. */
  private directive(token: string, line: number): void {
    const found = token.charCodeAt(0) === HASH ? parseDirective(token.slice(1)) : undefined;
    if (found === undefined || !DIRECTIVE_KEYS.has(found.key)) {
      this.scanningDirectives = false;
      return;
    }
    const { key, value } = found;
    if (this.seenDirectives.has(key)) {
      this.reject(line, `only one ${key} parser directive can be used`);
      return;
    }
    this.seenDirectives.add(key);
    if (key === 'escape') {
      if (value !== '\\' && value !== '`') {
        this.reject(line, `invalid escape token '${value}' does not match \` or \\`);
        return;
      }
      this.escape = value;
    }
    this.directives[key] = value;
  }

  private instruction(startLine: number, column: number, first: string, firstCut: number): Instruction {
    let cut = firstCut;
    let logical = cut < 0 ? first : first.slice(0, cut);
    const segments: Segment[] = [{ line: startLine, column, text: logical }];
    let emptyContinuationLines: number[] | undefined;
    while (cut >= 0) {
      const line = this.read();
      if (line === undefined) break;
      const text = withoutCarriageReturns(line.text);
      const indent = leadingSpaceLength(text);
      if (indent === text.length || text.charCodeAt(indent) === HASH) {
        (emptyContinuationLines ??= []).push(line.number);
        continue;
      }
      cut = continuationAt(text, this.escape);
      const segment = cut < 0 ? text : text.slice(0, cut);
      segments.push({ line: line.number, column: 1, text: segment });
      logical += segment;
    }
    const command = analyse(logical, this.escape);
    if (command.problem !== undefined) this.reject(startLine, command.problem);
    const heredocs = command.takesHeredocs ? this.heredocs(logical, startLine) : NONE;
    return {
      keyword: command.keyword,
      startLine,
      endLine: this.current,
      segments,
      emptyContinuationLines: emptyContinuationLines ?? NONE,
      heredocs,
    };
  }

  /** Bodies follow the instruction one after another, each up to the line that is exactly its name. */
  private heredocs(logical: string, startLine: number): readonly Heredoc[] {
    const marks = heredocMarks(logical);
    if ('error' in marks) {
      this.reject(startLine, marks.error);
      return NONE;
    }
    const heredocs: Heredoc[] = [];
    for (const { name, chomp } of marks.marks) {
      const bodyStart = this.current + 1;
      let terminator: number | undefined;
      for (let line = this.read(); line; line = this.read()) {
        const text = withoutCarriageReturns(line.text);
        if ((chomp ? withoutLeadingTabs(text) : text) === name) {
          terminator = line.number;
          break;
        }
      }
      heredocs.push({ name, startLine: bodyStart, endLine: terminator ?? this.current });
      if (terminator === undefined) {
        this.reject(startLine, 'unterminated heredoc');
        break;
      }
    }
    return heredocs;
  }
}

function readLines(text: string, from: number): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = from;
  while (start < text.length) {
    const number = lines.length + 1;
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      lines.push({ number, text: text.slice(start), eol: '' });
      break;
    }
    const crlf = newline > start && text.charCodeAt(newline - 1) === CR;
    lines.push({ number, text: text.slice(start, crlf ? newline - 1 : newline), eol: crlf ? '\r\n' : '\n' });
    start = newline + 1;
  }
  return lines;
}

function tooLongForScanner(line: SourceLine, bom: boolean): boolean {
  if (line.text.length * 3 + 5 < SCANNER_LIMIT) return false;
  const bytes = utf8Length(line.text) + line.eol.length + (bom && line.number === 1 ? 3 : 0);
  // A last line without an ending must also leave the scanner room to see the end of the file.
  return bytes > SCANNER_LIMIT || (line.eol === '' && bytes === SCANNER_LIMIT);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** `# key = value`, as BuildKit's `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` reads it after the `#`. */
function parseDirective(comment: string): { key: string; value: string } | undefined {
  const body = comment.slice(leadingSpaceLength(comment));
  const key = DIRECTIVE_KEY.exec(body)?.[0];
  if (key === undefined) return undefined;
  let equals = key.length;
  while (isRegexpSpace(body.charCodeAt(equals))) equals++;
  if (body.charAt(equals) !== '=') return undefined;
  const rest = body.slice(equals + 1);
  let start = 0;
  while (isRegexpSpace(rest.charCodeAt(start))) start++;
  let end = rest.length;
  while (end > start && isRegexpSpace(rest.charCodeAt(end - 1))) end--;
  // The value takes at least one character: after `=` and nothing but spaces, that is the last space.
  const value = end > start ? rest.slice(start, end) : rest.slice(-1);
  return value === '' ? undefined : { key: key.toLowerCase(), value };
}

/**
 * Where the continuation escape of `line` starts, or -1: the escape must be the last character but
 * spaces and tabs, and must not itself be escaped (BuildKit's `([^E])E[ \t]*$|^E[ \t]*$`).
 */
function continuationAt(line: string, escape: Escape): number {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === TAB)) end--;
  if (end === 0 || line.charAt(end - 1) !== escape) return -1;
  if (end >= 2 && line.charAt(end - 2) === escape) return -1;
  return end - 1;
}

// ---------------------------------------------------------------------------------------------
// What BuildKit makes of one logical line: its keyword, whether it may open heredocs, and whether
// BuildKit refuses its arguments.

interface Command {
  readonly name: string;
  /** `name` lower-cased when it is a command BuildKit knows, else `''`. */
  readonly kind: string;
  readonly args: string;
}

interface Analysis {
  readonly keyword: string;
  /** Whether BuildKit looks for heredocs in this line (it still may find none). */
  readonly takesHeredocs: boolean;
  readonly problem: string | undefined;
}

function analyse(line: string, escape: Escape): Analysis {
  const top = splitCommand(line);
  let trigger: Command | undefined;
  let node = top;
  let problem: string | undefined;
  while (node.kind === 'onbuild' && node.args !== '') {
    node = splitCommand(node.args);
    trigger ??= node;
  }
  if (node.kind !== 'onbuild') problem = argumentProblem(node.kind, node.args, escape);
  // ONBUILD passes the question on to its trigger, one level deep.
  const decides = trigger ?? top;
  const takesHeredocs = HEREDOC_COMMANDS.has(decides.kind) && line.includes('<<') && jsonForm(decides.args) === 'shell';
  return { keyword: upperCase(top.name), takesHeredocs, problem };
}

function splitCommand(line: string): Command {
  const trimmed = trimSpace(line);
  const gap = COMMAND_GAP.exec(trimmed);
  const name = gap === null ? trimmed : trimmed.slice(0, gap.index);
  const args = gap === null ? '' : trimSpace(afterFlags(trimmed.slice(gap.index + gap[0].length)));
  return { name, kind: commandKind(name), args };
}

/** The arguments after leading `--flag[=value]` words (a lone `--` ends the flags). */
function afterFlags(line: string): string {
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  for (let pos = 0; pos < line.length; pos++) {
    let ch = line.charAt(pos);
    if (phase === 'spaces') {
      if (isSpace(line.charCodeAt(pos))) continue;
      if (ch !== '-' || line.charAt(pos + 1) !== '-') return line.slice(pos);
      phase = 'word';
    }
    if (phase === 'word') {
      if (isSpace(line.charCodeAt(pos))) {
        if (word === '--') return line.slice(pos);
        phase = 'spaces';
        word = '';
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        phase = 'quote';
        continue;
      }
    } else if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === '\\') {
      if (pos + 1 === line.length) {
        phase = 'word';
        continue;
      }
      pos++;
      ch = line.charAt(pos);
    }
    word += ch;
  }
  return '';
}

/** The lower-case command name as BuildKit's dispatch table knows it, or `''`. */
function commandKind(name: string): string {
  if (name.length > 'healthcheck'.length) return '';
  let kind = '';
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code >= 0x41 && code <= 0x5a) kind += String.fromCharCode(code + 0x20);
    else if (code >= 0x61 && code <= 0x7a) kind += ch;
    else if (code === 0x212a) kind += 'k'; // KELVIN SIGN lower-cases to k in Go
    else if (code === 0x130) kind += 'i'; // so does LATIN CAPITAL LETTER I WITH DOT ABOVE to i
    else return '';
  }
  return kind;
}

function argumentProblem(kind: string, args: string, escape: Escape): string | undefined {
  switch (kind) {
    case 'env':
      return nameValueProblem(args, 'ENV', escape);
    case 'label':
      return nameValueProblem(args, 'LABEL', escape);
    case 'run':
    case 'cmd':
    case 'entrypoint':
    case 'shell':
      return args !== '' && jsonForm(args) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
    case 'add':
    case 'copy':
    case 'volume':
      return jsonForm(args) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
    case 'healthcheck':
      return healthcheckProblem(args);
    default:
      return undefined;
  }
}

function healthcheckProblem(args: string): string | undefined {
  let end = 0;
  while (end < args.length && !isSpace(args.charCodeAt(end))) end++;
  if (end === 0) return undefined;
  const command = args.slice(end + leadingSpaceLength(args.slice(end)));
  return command !== '' && jsonForm(command) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
}

/** Go's JSON decoder gives up beyond this depth, and BuildKit then reads the text as shell form. */
const JSON_MAX_DEPTH = 10_000;

function jsonForm(args: string): 'json' | 'shell' | 'not-strings' {
  const text = args.slice(leadingSpaceLength(args));
  if (!text.startsWith('[') || jsonDepth(text) > JSON_MAX_DEPTH) return 'shell';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'shell';
  }
  return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? 'json' : 'not-strings';
}

function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === DOUBLE_QUOTE) inString = false;
    } else if (code === DOUBLE_QUOTE) inString = true;
    else if (code === 0x5b || code === OPEN_BRACE) deepest = Math.max(deepest, ++depth);
    else if (code === 0x5d || code === CLOSE_BRACE) depth--;
  }
  return deepest;
}

/** `ENV`/`LABEL`: `KEY value` (two words at least) or only `name=value` words. */
function nameValueProblem(args: string, keyword: string, escape: Escape): string | undefined {
  const words = argumentWords(args, escape);
  const first = words[0];
  if (first === undefined) return undefined;
  if (!first.includes('=')) return ASCII_GAP.test(args) ? undefined : `${keyword} must have two arguments`;
  const bad = words.find((word) => !word.includes('='));
  return bad === undefined ? undefined : `Syntax error - can't find = in ${JSON.stringify(bad)}. Must be of the form: name=value`;
}

/** Space-separated words, quotes and escapes kept: how BuildKit sees `ENV` and `LABEL` arguments. */
function argumentWords(args: string, escape: Escape): string[] {
  const words: string[] = [];
  let inWord = false;
  let quote = '';
  let blankOk = false;
  let word = '';
  for (let pos = 0; pos < args.length; pos++) {
    let ch = args.charAt(pos);
    if (!inWord && quote === '') {
      if (isSpace(args.charCodeAt(pos))) continue;
      inWord = true;
    }
    if (quote === '') {
      if (isSpace(args.charCodeAt(pos))) {
        if (blankOk || word !== '') words.push(word);
        inWord = false;
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
      } else if (ch === escape) {
        if (pos + 1 === args.length) continue;
        word += ch;
        pos++;
        ch = args.charAt(pos);
      }
      word += ch;
      continue;
    }
    if (ch === quote) quote = '';
    else if (ch === escape && quote !== "'") {
      if (pos + 1 === args.length) {
        quote = '';
        continue;
      }
      word += ch;
      pos++;
      ch = args.charAt(pos);
    }
    word += ch;
  }
  if (inWord || quote !== '') {
    if (blankOk || word !== '') words.push(word);
  }
  return words;
}

// ---------------------------------------------------------------------------------------------
// Heredocs: BuildKit lexes the whole logical line like a shell (quotes, escapes and `$` kept) and
// takes every word of the form `[n]<<[-]NAME` as a heredoc; NAME is then lexed once more, quotes
// removed, and must come out as a single word.

interface HeredocMark {
  readonly name: string;
  readonly chomp: boolean;
}

function heredocMarks(line: string): { readonly marks: HeredocMark[] } | { readonly error: string } {
  const lexed = new ShellLexer({ rawQuotes: true, rawEscapes: true }).words(line);
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

/** BuildKit's `^(\d*)<<(-?)\s*([^<]*)$`, without the backtracking. */
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

const EOF = -1;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const LESS = 0x3c;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const SLASH = 0x2f;
const PERCENT = 0x25;
/** Deeper `${...}` nesting is refused instead of risking the stack; no real Dockerfile comes close. */
const MAX_NESTING = 500;

class LexFailure extends Error {}

interface WordList {
  readonly list: string[];
  inWord: boolean;
}

/**
 * BuildKit's shell word lexer (`shell.Lex`) with no variables set and unset ones kept as written,
 * reduced to what heredoc detection needs: the words. Like BuildKit, it keeps the word being built
 * in one buffer shared by nested `${...}` words.
 */
class ShellLexer {
  private source = '';
  private pos = 0;
  private rawEscapes: boolean;
  private buffer = '';
  private depth = 0;
  private readonly rawQuotes: boolean;
  private readonly defaultRawEscapes: boolean;

  constructor(options: { readonly rawQuotes: boolean; readonly rawEscapes: boolean }) {
    this.rawQuotes = options.rawQuotes;
    this.defaultRawEscapes = options.rawEscapes;
    this.rawEscapes = options.rawEscapes;
  }

  words(source: string): { readonly words: string[] } | { readonly error: string } {
    this.source = source;
    this.pos = source.charCodeAt(0) === BOM ? 1 : 0;
    this.rawEscapes = this.defaultRawEscapes;
    this.buffer = '';
    this.depth = 0;
    try {
      return { words: this.until(EOF, this.defaultRawEscapes).words };
    } catch (failure) {
      if (failure instanceof LexFailure) return { error: `failed to process ${JSON.stringify(source)}: ${failure.message}` };
      throw failure;
    }
  }

  private peek(): number {
    return this.source.codePointAt(this.pos) ?? EOF;
  }

  private take(): number {
    const code = this.peek();
    if (code !== EOF) this.pos += code > 0xffff ? 2 : 1;
    return code;
  }

  private until(stop: number, rawEscapes: boolean): { result: string; words: string[] } {
    if (++this.depth > MAX_NESTING) throw new LexFailure('expansion nested too deeply');
    const outerRawEscapes = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    this.buffer = '';
    const words: WordList = { list: [], inWord: false };
    let result = '';
    try {
      for (let code = this.peek(); code !== EOF; code = this.peek()) {
        if (stop !== EOF && code === stop) {
          this.take();
          return { result, words: this.finish(words) };
        }
        if (code === DOLLAR) {
          const text = this.dollar();
          result += text;
          for (const ch of text) this.addChar(words, ch);
          continue;
        }
        if (code === LESS || code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
          const text = code === LESS ? this.angle() : code === SINGLE_QUOTE ? this.singleQuoted() : this.doubleQuoted();
          result += text;
          this.addRaw(words, text);
          continue;
        }
        let ch = this.take();
        if (ch === BACKSLASH) {
          if (this.rawEscapes) {
            this.addRaw(words, '\\');
            result += '\\';
          }
          ch = this.take();
          if (ch === EOF) break;
          this.addRaw(words, codeText(ch));
        } else {
          this.addChar(words, codeText(ch));
        }
        result += codeText(ch);
      }
      if (stop !== EOF) {
        throw new LexFailure(`unexpected end of statement while looking for matching ${codeText(stop)}`);
      }
      return { result, words: this.finish(words) };
    } finally {
      this.rawEscapes = outerRawEscapes;
      this.depth--;
    }
  }

  private addChar(words: WordList, ch: string): void {
    if (!isSpace(ch.charCodeAt(0))) this.addRaw(words, ch);
    else if (words.inWord && this.buffer !== '') {
      words.list.push(this.buffer);
      this.buffer = '';
      words.inWord = false;
    }
  }

  private addRaw(words: WordList, text: string): void {
    this.buffer += text;
    words.inWord = true;
  }

  private finish(words: WordList): string[] {
    if (this.buffer !== '') {
      words.list.push(this.buffer);
      this.buffer = '';
      words.inWord = false;
    }
    return words.list;
  }

  /** `<<` keeps the spaces, tabs and carriage returns after it, so `<< EOF` stays one word. */
  private angle(): string {
    this.take();
    if (this.peek() !== LESS) return '<';
    this.take();
    let text = '<<';
    for (let code = this.peek(); code === 0x20 || code === TAB || code === CR || code === 0x0a; code = this.peek()) {
      text += codeText(this.take());
    }
    return text;
  }

  private singleQuoted(): string {
    this.take();
    let text = this.rawQuotes ? "'" : '';
    for (;;) {
      const code = this.take();
      if (code === EOF) throw new LexFailure('unexpected end of statement while looking for matching single-quote');
      if (code === SINGLE_QUOTE) return this.rawQuotes ? `${text}'` : text;
      text += codeText(code);
    }
  }

  private doubleQuoted(): string {
    this.take();
    let text = this.rawQuotes ? '"' : '';
    for (;;) {
      const next = this.peek();
      if (next === EOF) throw new LexFailure('unexpected end of statement while looking for matching double-quote');
      if (next === DOUBLE_QUOTE) {
        this.take();
        return this.rawQuotes ? `${text}"` : text;
      }
      if (next === DOLLAR) {
        text += this.dollar();
        continue;
      }
      let code = this.take();
      if (code === BACKSLASH) {
        if (this.rawEscapes) text += '\\';
        const escaped = this.peek();
        if (escaped === EOF) continue;
        if (escaped === DOUBLE_QUOTE || escaped === DOLLAR || escaped === BACKSLASH) code = this.take();
      }
      text += codeText(code);
    }
  }

  /** `$name` and `${...}` come back as written, since no variable is set. */
  private dollar(): string {
    this.take();
    if (this.peek() !== OPEN_BRACE) return `$${this.name()}`;
    this.take();
    const first = this.peek();
    if (first === EOF) throw new LexFailure("syntax error: missing '}'");
    if (first === OPEN_BRACE || first === CLOSE_BRACE || first === COLON) throw new LexFailure('syntax error: bad substitution');
    const name = this.name();
    let code = this.take();
    let modifier = codeText(code);
    if (code === CLOSE_BRACE) return `\${${name}}`;
    if (code === COLON || '+-?#%'.includes(codeText(code))) {
      const nullIsUnset = code === COLON;
      if (nullIsUnset) {
        code = this.take();
        modifier += codeText(code);
      }
      const patternEscapes = code === HASH || code === PERCENT;
      if (nullIsUnset && patternEscapes) throw new LexFailure(`unsupported modifier (${modifier}) in substitution`);
      const word = this.closing(CLOSE_BRACE, patternEscapes, "syntax error: missing '}'");
      return `\${${name}${modifier}${word}}`;
    }
    if (code === SLASH) {
      if (this.peek() === SLASH) this.take();
      const pattern = this.closing(SLASH, true, "syntax error: missing '/' in ${}");
      const replacement = this.closing(CLOSE_BRACE, true, "syntax error: missing '}'");
      return `\${${name}/${pattern}/${replacement}}`;
    }
    throw new LexFailure(`unsupported modifier (${modifier}) in substitution`);
  }

  private closing(stop: number, rawEscapes: boolean, missing: string): string {
    try {
      return this.until(stop, rawEscapes).result;
    } catch (failure) {
      if (failure instanceof LexFailure && this.peek() === EOF) throw new LexFailure(missing);
      throw failure;
    }
  }

  private name(): string {
    let name = '';
    for (let code = this.peek(); code !== EOF; code = this.peek()) {
      if (name === '' && isDigit(code)) {
        while (isDigit(this.peek())) name += codeText(this.take());
        return name;
      }
      if (name === '' && '@*#?-$!0'.includes(codeText(code))) {
        this.take();
        return codeText(code);
      }
      if (!isLetter(code) && !isDigit(code) && code !== 0x5f) break;
      name += codeText(this.take());
    }
    return name;
  }
}

/** Go's `string(rune)`: the end of input reads as U+FFFD. */
function codeText(code: number): string {
  if (code === EOF) return '\ufffd';
  return code < 0x10000 ? String.fromCharCode(code) : String.fromCodePoint(code);
}

function isDigit(code: number): boolean {
  if (code < 0x80) return code >= 0x30 && code <= 0x39;
  return UNICODE_DIGIT.test(codeText(code));
}

function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return UNICODE_LETTER.test(codeText(code));
}

// ---------------------------------------------------------------------------------------------
// Character classes and trimming as Go does them.

/** Go's `unicode.IsSpace`. */
function isSpace(code: number): boolean {
  if (code <= 0xff) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0xa0;
  return (
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** `\s` in Go's regular expressions. */
function isRegexpSpace(code: number): boolean {
  return code === 0x20 || code === TAB || code === 0x0a || code === 0x0c || code === CR;
}

function leadingSpaceLength(text: string): number {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  return start;
}

function trimSpace(text: string): string {
  const start = leadingSpaceLength(text);
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** BuildKit drops every trailing `\r` of a line, not only the one of a CRLF ending. */
function withoutCarriageReturns(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === CR) end--;
  return end === text.length ? text : text.slice(0, end);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function withoutLeadingTabs(text: string): string {
  let start = 0;
  while (text.charCodeAt(start) === TAB) start++;
  return text.slice(start);
}

/** Go's `strings.ToUpper`: a character without a one-character upper case stays as it is. */
function upperCase(name: string): string {
  if (isAscii(name)) return name.toUpperCase();
  let upper = '';
  for (const ch of name) {
    const mapped = ch.toUpperCase();
    upper += mapped.length === ch.length ? mapped : ch;
  }
  return upper;
}
