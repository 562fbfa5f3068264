import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Position } from '../problem.js';
import type { Locate } from './data-path.js';

/** Turns an offset in the host file's text into a position. */
export type At = (offset: number) => Position;

// Problems are found in the parsed data; this walks the same path through the YAML nodes to say where.
export function yamlLocator(doc: Document, at: At, file: string): Locate {
  const start = (node: Node | null | undefined): Position | undefined =>
    node?.range === undefined || node.range === null ? undefined : at(node.range[0]);
  return (path, target) => {
    let node: unknown = doc.contents;
    let key: Node | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(segment));
        if (pair === undefined) break;
        key = isScalar(pair.key) ? pair.key : undefined;
        node = pair.value;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)];
        if (item === undefined) break;
        key = undefined;
        node = item;
      } else {
        break;
      }
    }
    const emptyValue = isScalar(node) && node.value === null && node.source === '';
    const value = emptyValue ? undefined : start(node as Node | null);
    const position = target === 'key' ? (start(key) ?? value) : (value ?? start(key));
    return position ?? { file, line: 1, column: 1 };
  };
}

/** A mapping key as the parsed data spells it. */
export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}
