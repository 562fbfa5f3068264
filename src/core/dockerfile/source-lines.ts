import { BOM, CR, SPACE, TAB } from './char-codes.js';
import type { Escape } from './directives.js';
import type { SourceLine } from './instruction.js';

/** BuildKit reads lines with Go's bufio.Scanner, whose longest line (ending included) is 64 KiB. */
const SCANNER_LIMIT = 64 * 1024;

/** The text as physical lines that join back into it byte for byte, with its leading BOM noted apart. */
export function readSourceLines(text: string): { readonly lines: SourceLine[]; readonly bom: boolean } {
  const bom = text.charCodeAt(0) === BOM;
  const lines: SourceLine[] = [];
  let start = bom ? 1 : 0;
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
  return { lines, bom };
}

/** Hands out lines one at a time, as BuildKit's scanner does, and reports a line too long for it. */
export class LineScanner {
  private next = 0;
  private last = 0;

  constructor(
    private readonly lines: readonly SourceLine[],
    private readonly bom: boolean,
    private readonly reject: (line: number, message: string) => void,
  ) {}

  /** The number of the line read last (0 before the first). */
  get current(): number {
    return this.last;
  }

  read(): SourceLine | undefined {
    const line = this.lines[this.next];
    if (line === undefined) return undefined;
    this.next += 1;
    this.last = line.number;
    if (tooLongForScanner(line, this.bom)) {
      this.reject(line.number, `dockerfile line greater than max allowed size of ${SCANNER_LIMIT - 1}`);
    }
    return line;
  }
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

/** BuildKit drops every trailing `\r` of a line, not only the one of a CRLF ending. */
export function withoutCarriageReturns(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === CR) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Where the continuation escape of `line` starts, or -1: the escape must be the last character but
 * spaces and tabs, and must not itself be escaped (BuildKit's `([^E])E[ \t]*$|^E[ \t]*$`).
 */
export function continuationAt(line: string, escape: Escape): number {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === SPACE || line.charCodeAt(end - 1) === TAB)) end--;
  if (end === 0 || line.charAt(end - 1) !== escape) return -1;
  if (end >= 2 && line.charAt(end - 2) === escape) return -1;
  return end - 1;
}
