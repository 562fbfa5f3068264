import type { Position } from '../problem.js';
import { goDecode, isCommandGap, isSpace, runeAt, runeOf, widthOf, type ByteString } from './go-strings.js';
import type { Instruction, Segment } from './instruction.js';

/** A word of an instruction: its bytes and where it starts in its logical line. */
export interface Word {
  readonly bytes: ByteString;
  readonly at: number;
}

/** An instruction's logical line (its segments joined, as BuildKit parses it) and where each byte stands in the file. */
export interface LogicalLine {
  readonly text: ByteString;
  /** The file position of the byte at `offset`: a 1-based line and byte column. */
  readonly positionAt: (offset: number) => Omit<Position, 'file'>;
}

/** The logical line of `segments` (all of the instruction's by default): BuildKit joins them without a separator. */
export function logicalLine(instruction: Instruction, segments: readonly Segment[] = instruction.segments): LogicalLine {
  const starts: number[] = [];
  let text = '';
  for (const segment of segments) {
    starts.push(text.length);
    text += segment.text;
  }
  const positionAt = (offset: number): Omit<Position, 'file'> => {
    let index = 0;
    for (let i = 1; i < starts.length; i++) if ((starts[i] ?? 0) <= offset) index = i;
    const segment = segments[index];
    if (!segment) return { line: instruction.startLine, column: 1 };
    return { line: segment.line, column: segment.column + (offset - (starts[index] ?? 0)) };
  };
  return { text, positionAt };
}

/**
 * The words of `text[from:to]` split at runs of `[\t\v\f\r ]`: BuildKit's
 * `parseStringsWhitespaceDelimited` (`reWhitespace.Split`), which reads FROM, EXPOSE and the
 * list form of ADD, COPY and VOLUME. Other Unicode spaces belong to the words.
 */
export function whitespaceDelimitedWords(text: ByteString, from = 0, to = text.length): Word[] {
  const words: Word[] = [];
  let at = from;
  while (at < to) {
    let end = at;
    while (end < to && !isCommandGap(text.charCodeAt(end))) end++;
    words.push({ bytes: text.slice(at, end), at });
    at = end;
    while (at < to && isCommandGap(text.charCodeAt(at))) at++;
  }
  return words;
}

/**
 * The words of `text[from:to]` between runs of `unicode.IsSpace` runes (invalid bytes are no
 * space): Go's `strings.Fields`. ADDRESS and NEED are berth's own, and their words follow this rule,
 * the one BuildKit's `strings.TrimSpace` applies around them.
 */
export function fields(text: ByteString, from = 0, to = text.length): Word[] {
  const words: Word[] = [];
  let start = -1;
  for (let at = from; at < to; ) {
    const packed = runeAt(text, at);
    if (isSpace(runeOf(packed))) {
      if (start >= 0) words.push({ bytes: text.slice(start, at), at: start });
      start = -1;
    } else if (start < 0) start = at;
    at += widthOf(packed);
  }
  if (start >= 0) words.push({ bytes: text.slice(start, to), at: start });
  return words;
}

/** A word's text for messages and values. */
export function wordText(word: Word): string {
  return goDecode(word.bytes);
}
