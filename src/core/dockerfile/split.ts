import { HASH } from './char-codes.js';
import { analyseCommand } from './command.js';
import { ParserDirectives } from './directives.js';
import { byteStringOf, leadingSpaceLength, utf8Bytes, type ByteString } from './go-strings.js';
import { heredocMarks, readHeredocBodies } from './heredoc.js';
import type { Heredoc, Instruction, Rejection, Segment, SourceLine, SplitResult } from './instruction.js';
import { continuationAt, LineScanner, readSourceLines, withoutCarriageReturns } from './source-lines.js';

const NONE: readonly never[] = Object.freeze([]);

/**
 * Splits a Dockerfile into instructions exactly where BuildKit's parser does, so that a rewrite that
 * works line by line never changes what BuildKit reads. Give it the file's bytes: a string is taken
 * as text and encoded as UTF-8 first. Pure, linear in the size of the file, never throws.
 */
export function splitDockerfile(source: Uint8Array | string): SplitResult {
  const bytes: ByteString = typeof source === 'string' ? utf8Bytes(source) : byteStringOf(source);
  const { lines, bom } = readSourceLines(bytes);
  return new Splitter(lines, bom).split();
}

/**
 * Walks the lines once, in the order BuildKit's scanner reads them: BuildKit's `Parse`. Its
 * `trimLeadingWhitespace` and `isComment` decode runes (`bytes.TrimLeftFunc(line, unicode.IsSpace)`),
 * hence `leadingSpaceLength`; continuations and heredoc terminators compare bytes.
 */
class Splitter {
  private readonly scanner: LineScanner;
  private readonly directives = new ParserDirectives();
  private readonly instructions: Instruction[] = [];
  private rejection: Rejection | undefined;

  constructor(
    private readonly lines: readonly SourceLine[],
    private readonly bom: boolean,
  ) {
    this.scanner = new LineScanner(lines, bom, (line, message) => this.reject(line, message));
  }

  split(): SplitResult {
    for (let line = this.scanner.read(); line; line = this.scanner.read()) {
      const text = withoutCarriageReturns(line.text);
      const indent = leadingSpaceLength(text);
      const token = text.slice(indent);
      if (this.directives.open) {
        const problem = this.directives.read(token);
        if (problem !== undefined) this.reject(line.number, problem);
      }
      if (token.charCodeAt(0) === HASH) continue;
      const cut = continuationAt(token, this.directives.escape);
      if (cut < 0 && token === '') continue;
      this.instructions.push(this.instruction(line.number, indent + 1, token, cut));
    }
    if (this.instructions.length === 0) this.reject(Math.max(this.scanner.current, 1), 'file with no instructions');
    return {
      escape: this.directives.escape,
      directives: this.directives.values,
      bom: this.bom,
      lines: this.lines,
      instructions: this.instructions,
      ...(this.rejection ? { rejection: this.rejection } : {}),
    };
  }

  /** BuildKit stops at the first problem, so only the first one counts. */
  private reject(line: number, message: string): void {
    this.rejection ??= { line, message };
  }

  /**
   * One instruction from its first line: `Parse`'s continuation loop (`isComment` and
   * `isEmptyContinuationLine` on decoded runes, `trimContinuationCharacter` on bytes), then
   * `newNodeFromLine` and, where `canContainHeredoc`, the heredoc bodies.
   */
  private instruction(startLine: number, column: number, first: ByteString, firstCut: number): Instruction {
    const escape = this.directives.escape;
    let cut = firstCut;
    let logical = cut < 0 ? first : first.slice(0, cut);
    const segments: Segment[] = [{ line: startLine, column, text: logical }];
    let emptyContinuationLines: number[] | undefined;
    while (cut >= 0) {
      const line = this.scanner.read();
      if (line === undefined) break;
      const text = withoutCarriageReturns(line.text);
      const indent = leadingSpaceLength(text);
      if (indent === text.length || text.charCodeAt(indent) === HASH) {
        (emptyContinuationLines ??= []).push(line.number);
        continue;
      }
      cut = continuationAt(text, escape);
      const segment = cut < 0 ? text : text.slice(0, cut);
      segments.push({ line: line.number, column: 1, text: segment });
      logical += segment;
    }
    const command = analyseCommand(logical, escape);
    if (command.problem !== undefined) this.reject(startLine, command.problem);
    const heredocs = command.takesHeredocs ? this.heredocs(logical, startLine) : NONE;
    return {
      keyword: command.keyword,
      startLine,
      endLine: this.scanner.current,
      segments,
      emptyContinuationLines: emptyContinuationLines ?? NONE,
      heredocs,
    };
  }

  /** `heredocsFromLine`, then the bodies as `Parse` reads them, comparing bytes. */
  private heredocs(logical: ByteString, startLine: number): readonly Heredoc[] {
    const marks = heredocMarks(logical);
    if ('error' in marks) {
      this.reject(startLine, marks.error);
      return NONE;
    }
    const bodies = readHeredocBodies(marks.marks, this.scanner);
    if (bodies.unterminated) this.reject(startLine, 'unterminated heredoc');
    return bodies.heredocs;
  }
}
