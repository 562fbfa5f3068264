import type { SplitResult } from '../../src/core/dockerfile/instruction.js';

/** The file the split lines join back into, as bytes: the BOM, then every line's bytes and ending. */
export function rejoinedBytes(result: SplitResult): Buffer {
  const text = (result.bom ? '\xef\xbb\xbf' : '') + result.lines.map((line) => line.text + line.eol).join('');
  return Buffer.from(text, 'latin1');
}
