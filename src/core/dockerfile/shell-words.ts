import {
  BACKSLASH,
  BOM,
  CLOSE_BRACE,
  COLON,
  CR,
  DOLLAR,
  DOUBLE_QUOTE,
  HASH,
  LESS,
  LINE_FEED,
  OPEN_BRACE,
  PERCENT,
  SINGLE_QUOTE,
  SLASH,
  SPACE,
  TAB,
  UNDERSCORE,
} from './char-codes.js';
import { isDigit, isLetter, isSpace } from './go-strings.js';

const EOF = -1;
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
 * in one buffer shared by nested `${...}` words. It reads decoded text, as Go's `text/scanner` under
 * BuildKit's lexer reads runes, and splits words on `unicode.IsSpace` of each rune.
 */
export class ShellLexer {
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

  /** The words of `source`, or BuildKit's message when its lexer fails on it. */
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
    for (let code = this.peek(); code === SPACE || code === TAB || code === CR || code === LINE_FEED; code = this.peek()) {
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
      if (!isLetter(code) && !isDigit(code) && code !== UNDERSCORE) break;
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
