import { isMap, isNode, isSeq, type Document } from 'yaml';
import { error, type Position, type Problem } from '../problem.js';
import { label, type Path } from './data-path.js';
import { keyText, type At } from './yaml-locator.js';

const YAML_HINTS: Readonly<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' (quote a value that ends in ":" or holds ": ", e.g. "2001:db8::")',
};

// What is wrong with the host file as YAML; while there is any, its data is not worth checking.
export function yamlProblems(doc: Document, at: At): Problem[] {
  return [
    ...[...doc.errors, ...doc.warnings].map((e) =>
      error(at(e.pos[0]), 'host.yaml-syntax', `invalid YAML: ${e.message}${YAML_HINTS[e.code] ?? ''}`),
    ),
    ...duplicateKeys(doc.contents, [], at),
  ];
}

// yaml's own check names neither the key nor where it first stood.
function duplicateKeys(node: unknown, path: Path, at: At): Problem[] {
  if (isSeq(node)) return node.items.flatMap((item, i) => duplicateKeys(item, [...path, i], at));
  if (!isMap(node)) return [];
  const problems: Problem[] = [];
  const seen = new Map<string, Position>();
  for (const pair of node.items) {
    const key = keyText(pair.key);
    const position = isNode(pair.key) && pair.key.range ? at(pair.key.range[0]) : undefined;
    const first = seen.get(key);
    if (first !== undefined && position !== undefined) {
      const inside = path.length === 0 ? '' : ` in ${label(path)}`;
      problems.push(
        error(position, 'host.duplicate-key', `duplicate key "${key}"${inside} (first at line ${first.line}); keep one`),
      );
    } else if (position !== undefined) {
      seen.set(key, position);
    }
    problems.push(...duplicateKeys(pair.value, [...path, key], at));
  }
  return problems;
}
