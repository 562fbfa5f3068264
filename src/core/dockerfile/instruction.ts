import type { ByteString } from './go-strings.js';

/** One physical line of a Dockerfile, as read: its bytes without the line ending, and that ending. */
export interface SourceLine {
  /** 1-based line number. */
  readonly number: number;
  /**
   * The line's bytes without its line ending, one character per byte (`Buffer.from(text, 'latin1')`
   * gives them back). A leading UTF-8 BOM is not part of line 1's text.
   */
  readonly text: ByteString;
  /** `'\n'`, `'\r\n'`, or `''` for a last line without an ending. */
  readonly eol: '' | '\n' | '\r\n';
}

/** A piece of an instruction's own text on one physical line (continuation escape removed). */
export interface Segment {
  readonly line: number;
  /** 1-based column of `text`'s first byte on that line, counted in bytes as BuildKit counts. */
  readonly column: number;
  /** The bytes, one character per byte, as in `SourceLine`. */
  readonly text: ByteString;
}

/** The body of a heredoc that belongs to an instruction. */
export interface Heredoc {
  /** The terminator, as BuildKit's shell lexer decodes it (invalid UTF-8 as U+FFFD). */
  readonly name: string;
  /**
   * First line of the body: the line after the instruction, or after the terminator of the heredoc
   * before it on the same instruction. A body with no lines has `startLine === endLine`.
   */
  readonly startLine: number;
  /** The terminator line (the file's last line when the heredoc is never terminated). */
  readonly endLine: number;
}

/** An instruction as BuildKit's parser delimits it. */
export interface Instruction {
  /** The keyword decoded and in upper case, as BuildKit reports it (unknown words too, e.g. `NEED`). */
  readonly keyword: string;
  /** First line (1-based). */
  readonly startLine: number;
  /** Last line, including continuation lines and heredoc terminators. */
  readonly endLine: number;
  /**
   * The instruction's own text line by line, continuation escapes removed, blank and comment
   * lines inside the continuation left out, heredoc bodies left out. Joining the `text`s gives the
   * logical line BuildKit parses.
   */
  readonly segments: readonly Segment[];
  /** Blank or comment-only lines inside the continuation (BuildKit's "empty continuation line"). */
  readonly emptyContinuationLines: readonly number[];
  readonly heredocs: readonly Heredoc[];
}

/** Why BuildKit's parser would refuse the whole file (it stops at the first such reason). */
export interface Rejection {
  /** 1-based line where BuildKit meets the problem. */
  readonly line: number;
  /** BuildKit's own wording of the problem. */
  readonly message: string;
}

export interface SplitResult {
  /** The escape character in force (`\` unless an `escape` directive says otherwise). */
  readonly escape: '\\' | '`';
  /** Parser directives from the leading comment block, keys in lower case, values decoded. */
  readonly directives: Readonly<Record<string, string>>;
  /** True when the text starts with a UTF-8 byte-order mark. */
  readonly bom: boolean;
  readonly lines: readonly SourceLine[];
  readonly instructions: readonly Instruction[];
  /**
   * Present when BuildKit's parser would refuse the file (no instructions, an unterminated heredoc,
   * `ENV` without a value, ...). The instructions are still split as far as the text allows.
   */
  readonly rejection?: Rejection;
}
