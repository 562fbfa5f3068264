import type { IpLiteral } from '../ip.js';
import type { Position } from '../problem.js';

/** Where a need was declared: a statement in a Dockerfile, or a label of an image. */
export type Origin =
  | { readonly source: 'dockerfile'; readonly at: Position; readonly stage: string }
  | { readonly source: 'label'; readonly key: string; readonly declaredAt?: string };

/** An address need refers to a host entry by name, or is a literal address. */
export type AddressRef =
  | { readonly type: 'name'; readonly name: string }
  | ({ readonly type: 'literal' } & IpLiteral);

export interface AddressNeed {
  readonly kind: 'address';
  readonly ref: AddressRef;
  readonly origin: Origin;
}

export interface VolumeNeed {
  readonly kind: 'volume';
  readonly name: string;
  readonly target: string;
  readonly mode: 'rw' | 'ro';
  readonly origin: Origin;
}

export interface NetworkNeed {
  readonly kind: 'network';
  readonly name: string;
  readonly origin: Origin;
}

/** What an image needs from the host it runs on. */
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
