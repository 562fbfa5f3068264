import type { Position } from '../problem.js';
import type { AddressNeed } from './kinds/address.js';
import type { NetworkNeed } from './kinds/network.js';
import type { VolumeNeed } from './kinds/volume.js';

export type { AddressNeed, AddressRef } from './kinds/address.js';
export type { NetworkNeed } from './kinds/network.js';
export type { VolumeNeed } from './kinds/volume.js';

/** Where a need was declared: a statement in a Dockerfile, or a label of an image. */
export type Origin =
  | { readonly source: 'dockerfile'; readonly at: Position; readonly stage: string }
  | { readonly source: 'label'; readonly key: string; readonly declaredAt?: string };

/** What an image needs from the host it runs on: one member per kind in `kinds/`. */
export type Need = AddressNeed | VolumeNeed | NetworkNeed;

export type NeedKindName = Need['kind'];

/** The identity of a need: a child image's need with the same identity replaces its base's. */
export function needId(need: Need): string {
  return `${need.kind}.${needName(need)}`;
}

/** The name a need is known by: the host entry's name, or a literal address. */
export function needName(need: Need): string {
  if (need.kind !== 'address') return need.name;
  return need.ref.type === 'name' ? need.ref.name : need.ref.address;
}
