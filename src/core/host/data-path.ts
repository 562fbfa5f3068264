import type { Position } from '../problem.js';
import { isRecord, type Data } from './host-data.js';

/** Keys and list indexes from the top of the host data down to one value. */
export type Path = readonly (string | number)[];
export type Target = 'key' | 'value';
/** Where, in the file, the key or the value at a path of the parsed data stands. */
export type Locate = (path: Path, target: Target) => Position;

/** `networks.public6.subnet6`, `volumes.cache.provider[0]`, `networks.x.options["com.docker.mtu"]`. */
export function label(path: Path): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!/^[A-Za-z0-9_-]+$/.test(segment)) return `[${JSON.stringify(segment)}]`;
      return i === 0 ? segment : `.${segment}`;
    })
    .join('');
}

export function valueAt(data: Data, path: Path): unknown {
  let node: unknown = data;
  for (const segment of path) {
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
