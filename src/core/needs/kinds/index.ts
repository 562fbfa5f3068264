import type { NeedKind } from '../kind.js';
import type { Need, NeedKindName } from '../need.js';
import { addressKind } from './address.js';
import { networkKind } from './network.js';
import { volumeKind } from './volume.js';

/** Every kind of need berth knows, by the word that names it in `NEED <kind>`. */
export const NEED_KINDS: Readonly<Record<NeedKindName, NeedKind>> = {
  address: addressKind as NeedKind,
  volume: volumeKind as NeedKind,
  network: networkKind as NeedKind,
};

export const KIND_NAMES = Object.keys(NEED_KINDS) as readonly NeedKindName[];

/** The kind module for a word (case-insensitive), if berth knows it. */
export function needKind(word: string): NeedKind | undefined {
  const lower = word.toLowerCase();
  return Object.hasOwn(NEED_KINDS, lower) ? NEED_KINDS[lower as NeedKindName] : undefined;
}

/** Canonical arguments of a need, kind first, as a `NEED` statement would give them. */
export function formatNeed(need: Need): readonly string[] {
  return [need.kind, ...NEED_KINDS[need.kind].format(need)];
}
