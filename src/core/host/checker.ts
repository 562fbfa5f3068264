import type { Locate, Path } from './data-path.js';
import type { Data } from './host-data.js';

/** What the semantic checks share: the data, how to point into the file, where problems go. */
export interface Checker {
  readonly data: Data;
  readonly locate: Locate;
  /** Records an error at the value found at `path`. */
  readonly report: (path: Path, code: string, message: string) => void;
}
