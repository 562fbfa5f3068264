import { CR, SPACE, TAB } from './char-codes.js';
import type { Escape } from './directives.js';
import type { ByteString } from './go-strings.js';
import type { SourceLine } from './instruction.js';

/** BuildKit reads lines with Go's bufio.Scanner, whose longest line (ending included) is 64 KiB. */
const SCANNER_LIMIT = 64 * 1024;
const UTF8_BOM = '\xef\xbb\xbf';

/**
 * The file as physical lines that join back into it byte for byte, its leading BOM noted apart.
 * Mirrors BuildKit's `scanLines` (a line ends after each `\n` byte) and `discardBOM` (first line only).
 */
export function readSourceLines(text: ByteString): { readonly lines: SourceLine[]; readonly bom: boolean } {
  const bom = text.startsWith(UTF8_BOM);
  const lines: SourceLine[] = [];
  let start = bom ? UTF8_BOM.length : 0;
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

/** Hands out lines one at a time, as BuildKit's `bufio.Scanner` does, and reports a line too long for it (`handleScannerError`). */
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
  const bytes = line.text.length + line.eol.length + (bom && line.number === 1 ? UTF8_BOM.length : 0);
  // A last line without an ending must also leave the scanner room to see the end of the file.
  return bytes > SCANNER_LIMIT || (line.eol === '' && bytes === SCANNER_LIMIT);
}

/** BuildKit's `trimNewline` (`bytes.TrimRight(line, "\r\n")`): every trailing `\r` goes, not only a CRLF's. */
export function withoutCarriageReturns(text: ByteString): ByteString {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === CR) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Where the continuation escape of `line` starts, or -1: the escape must be the last character but
 * spaces and tabs, and must not itself be escaped. Mirrors `trimContinuationCharacter`, whose
 * `([^E])E[ \t]*$|^E[ \t]*$` looks at ASCII bytes only, so it reads the same on bytes as on runes.
 */
export function continuationAt(line: ByteString, escape: Escape): number {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === SPACE || line.charCodeAt(end - 1) === TAB)) end--;
  if (end === 0 || line.charAt(end - 1) !== escape) return -1;
  if (end >= 2 && line.charAt(end - 2) === escape) return -1;
  return end - 1;
}
