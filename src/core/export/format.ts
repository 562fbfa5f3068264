import type { ExportNode } from './offer.js';
import type { Placement } from './placement.js';

/** What every export format is given: the images placed on nodes, and the nodes with their host files. */
export interface ExportInput {
  readonly placed: readonly Placement[];
  readonly nodes: readonly ExportNode[];
}

/** Options of `berth export`; each format says which it reads. */
export interface ExportOptions {
  /** How a pod asks for fixed addresses: `multus` (default) or `calico`. */
  readonly ipAnnotation?: string;
  /** Print only what labels the nodes. */
  readonly labelsOnly?: boolean;
}

export type Rendered =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly problems: readonly string[] };

/** One target of `berth export --to FORMAT`: a module that turns placements into that orchestrator's files. */
export interface ExportFormat {
  readonly name: string;
  /** The options this format reads; `berth export` refuses the others for it. */
  readonly options: readonly (keyof ExportOptions)[];
  /** `nodes`: one host file per cluster node (`--host-config NODE=FILE`); `this-host`: this host's file, found as `berth run` finds it. */
  readonly hosts: 'nodes' | 'this-host';
  render(input: ExportInput, options: ExportOptions): Rendered;
}
