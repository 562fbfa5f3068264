import type { NeedKind } from '../kind.js';
import type { Need, NeedKindName } from '../need.js';
import { addressKind } from './address.js';
import { networkKind } from './network.js';
import { volumeKind } from './volume.js';

/**
 * Every kind of need berth knows, by the word that names it in `NEED <kind>`. The rest of berth
 * loops over this table; its type makes the compiler name a kind that is missing here or lacks a piece.
 */
const KINDS = {
  address: addressKind,
  volume: volumeKind,
  network: networkKind,
} satisfies { readonly [K in NeedKindName]: NeedKind<Extract<Need, { kind: K }>> };

export const NEED_KINDS: Readonly<Record<NeedKindName, NeedKind>> = KINDS as Readonly<Record<NeedKindName, NeedKind>>;

export const KIND_NAMES = Object.keys(NEED_KINDS) as readonly NeedKindName[];

/** The kind module for a word (case-insensitive), if berth knows it. */
export function needKind(word: string): NeedKind | undefined {
  const lower = word.toLowerCase();
  return Object.hasOwn(NEED_KINDS, lower) ? NEED_KINDS[lower as NeedKindName] : undefined;
}

/** The kind module of a need. */
export function kindOf(need: Need): NeedKind {
  return NEED_KINDS[need.kind];
}

/** Canonical arguments of a need, kind first, as a `NEED` statement would give them. */
export function formatNeed(need: Need): readonly string[] {
  return [need.kind, ...kindOf(need).format(need)];
}
