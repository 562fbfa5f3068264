import type { Need, Origin } from './need.js';

/** The outcome of reading one need's arguments: the need, or why not, pointing at an argument. */
export type KindParse<N extends Need> =
  | { readonly ok: true; readonly need: N }
  | { readonly ok: false; readonly message: string; readonly argument: number };

/**
 * One kind of need (`NEED <kind> ...`). Adding a kind means one module implementing this and
 * one line in the table in `kinds/index.ts`.
 */
export interface NeedKind<N extends Need = Need> {
  readonly kind: N['kind'];
  /** Arguments after the kind, for messages: `NAME TARGET [ro|rw]`. */
  readonly usage: string;
  /** Reads the arguments after `NEED <kind>`; the same grammar serves Dockerfiles and labels. */
  parse(args: readonly string[], origin: Origin): KindParse<N>;
  /** The canonical arguments after the kind; `parse(format(n))` gives `n` back. */
  format(need: N): readonly string[];
}
