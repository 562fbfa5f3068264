import type { Position } from '../problem.js';
import type { Instruction, Segment } from './instruction.js';

/** A word of an instruction with where it starts in the file. */
export interface Word {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** The whitespace-separated words of an instruction, each with its position, across continuation lines. */
export function instructionWords(instruction: Instruction): Word[] {
  const words: Word[] = [];
  let current: { text: string; line: number; column: number } | undefined;
  for (const segment of instruction.segments) {
    for (let i = 0; i < segment.text.length; i++) {
      const char = segment.text[i] ?? '';
      if (char === ' ' || char === '\t') {
        if (current) words.push(current);
        current = undefined;
      } else if (current) current.text += char;
      else current = { text: char, line: segment.line, column: segment.column + i };
    }
    // A continuation joins lines without a separator, exactly as BuildKit does.
  }
  if (current) words.push(current);
  return words;
}

/** The text after the keyword, as one string, with a function mapping offsets back to positions. */
export interface Rest {
  readonly text: string;
  readonly positionAt: (offset: number) => Omit<Position, 'file'>;
}

/** Everything after the first word (the keyword), continuation lines joined. */
export function instructionRest(instruction: Instruction): Rest {
  const pieces: Segment[] = [];
  let skippedKeyword = false;
  for (const segment of instruction.segments) {
    if (skippedKeyword) {
      pieces.push(segment);
      continue;
    }
    const match = /^\s*\S+/.exec(segment.text);
    if (!match) continue;
    skippedKeyword = true;
    pieces.push({ line: segment.line, column: segment.column + match[0].length, text: segment.text.slice(match[0].length) });
  }
  const starts: number[] = [];
  let text = '';
  for (const piece of pieces) {
    starts.push(text.length);
    text += piece.text;
  }
  const positionAt = (offset: number): Omit<Position, 'file'> => {
    let index = 0;
    for (let i = 0; i < starts.length; i++) if ((starts[i] ?? 0) <= offset) index = i;
    const piece = pieces[index];
    if (!piece) return { line: instruction.startLine, column: 1 };
    return { line: piece.line, column: piece.column + (offset - (starts[index] ?? 0)) };
  };
  return { text, positionAt };
}
