/** One physical line of a Dockerfile, as read: its text without the line ending, and that ending. */
export interface SourceLine {
  /** 1-based line number. */
  readonly number: number;
  /** The line's text without its line ending (a leading UTF-8 BOM is not part of line 1's text). */
  readonly text: string;
  /** `'\n'`, `'\r\n'`, or `''` for a last line without an ending. */
  readonly eol: '' | '\n' | '\r\n';
}

/** A piece of an instruction's own text on one physical line (continuation escape removed). */
export interface Segment {
  readonly line: number;
  /** 1-based column of `text`'s first character on that line. */
  readonly column: number;
  readonly text: string;
}

/** The body of a heredoc that belongs to an instruction. */
export interface Heredoc {
  readonly name: string;
  /** First line of the body (the line after the one that opened it). */
  readonly startLine: number;
  /** The terminator line. */
  readonly endLine: number;
}

/** An instruction as BuildKit's parser delimits it. */
export interface Instruction {
  /** The keyword in upper case, as BuildKit reports it (unknown words too, e.g. `NEED`). */
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

export interface SplitResult {
  /** The escape character in force (`\` unless an `escape` directive says otherwise). */
  readonly escape: '\\' | '`';
  /** Parser directives from the leading comment block, keys in lower case. */
  readonly directives: Readonly<Record<string, string>>;
  /** True when the text starts with a UTF-8 byte-order mark. */
  readonly bom: boolean;
  readonly lines: readonly SourceLine[];
  readonly instructions: readonly Instruction[];
}
