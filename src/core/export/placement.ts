import { kindOf } from '../needs/kinds/index.js';
import type { Need } from '../needs/need.js';
import { needId, needName } from '../needs/need.js';
import { imageAllowed } from '../plan/image-patterns.js';
import type { ImageIdentity } from '../plan/resolution.js';
import type { ExportContext, ExportNode, NodeResource, PortablePart } from './offer.js';

/** An image to export, with the needs its labels declare. */
export interface ExportImage {
  readonly identity: ImageIdentity;
  readonly needs: readonly Need[];
}

/**
 * Where an image may run and what its pod gets there. One pod spec serves every node it may be
 * scheduled on, so the nodes are the first one that meets every need and those that meet them
 * the same way (same addresses, same read-only mounts).
 */
export interface Placement {
  readonly image: ExportImage;
  readonly parts: readonly PortablePart[];
  readonly nodes: readonly ExportNode[];
  /** The host-file entries the pod relies on, each once, in need order. */
  readonly relies: readonly NodeResource[];
}

/** Why one node cannot run an image. */
export interface Miss {
  readonly node: string;
  readonly need: Need;
  readonly problem: string;
  readonly fix: string;
}

export interface Placements {
  readonly placed: readonly Placement[];
  /** Addresses two placed images both need: one pod at a time can hold an address. */
  readonly shared: readonly string[];
  /** Images no node can run, with every need each node fails. */
  readonly unplaceable: readonly { readonly image: ExportImage; readonly misses: readonly Miss[] }[];
}

/** Decides, for every image, which nodes' host files meet all its needs; lists what each node lacks otherwise. */
export function placeImages(images: readonly ExportImage[], nodes: readonly ExportNode[]): Placements {
  const placed: Placement[] = [];
  const unplaceable: { image: ExportImage; misses: Miss[] }[] = [];
  for (const image of images) {
    const able: { node: ExportNode; parts: PortablePart[]; relies: NodeResource[] }[] = [];
    const misses: Miss[] = [];
    for (const node of nodes) {
      const offered = offersOn(image, node);
      if (offered.misses.length > 0) misses.push(...offered.misses);
      else able.push({ node, parts: offered.parts, relies: offered.relies });
    }
    const [reference] = able;
    if (!reference) {
      unplaceable.push({ image, misses });
      continue;
    }
    const shape = podShape(reference.parts);
    const alike = able.filter((candidate) => podShape(candidate.parts) === shape);
    placed.push({ image, parts: reference.parts, nodes: alike.map((a) => a.node), relies: reference.relies });
  }
  return { placed, unplaceable, shared: sharedAddresses(placed) };
}

function sharedAddresses(placed: readonly Placement[]): string[] {
  const holders = new Map<string, string[]>();
  for (const { image, parts } of placed) {
    for (const part of parts) {
      if (part.type !== 'attach') continue;
      for (const ip of part.addresses) {
        const key = `${ip.address} on network ${part.network.name}`;
        const refs = holders.get(key) ?? [];
        if (!refs.includes(image.identity.ref)) refs.push(image.identity.ref);
        holders.set(key, refs);
      }
    }
  }
  return [...holders].filter(([, refs]) => refs.length > 1).map(([address, refs]) => `${refs.join(' and ')} both need ${address}, which one pod at a time can hold; export them separately, or give one of them another address`);
}

function offersOn(image: ExportImage, node: ExportNode): { parts: PortablePart[]; relies: NodeResource[]; misses: Miss[] } {
  const context: ExportContext = { node, image: image.identity, mayClaim: (patterns) => imageAllowed(patterns, image.identity) };
  const parts: PortablePart[] = [];
  const relies: NodeResource[] = [];
  const misses: Miss[] = [];
  const targets = new Map<string, Need>();
  const addresses = new Map<string, string>();
  // Labels come sorted by key and Dockerfiles in any order: one order makes one output for both.
  const needs = [...image.needs].sort((a, b) => needId(a).localeCompare(needId(b)));
  for (const need of needs) {
    const offer = kindOf(need).export(need, context);
    if (!offer.ok) {
      misses.push({ node: node.name, need, problem: offer.problem, fix: offer.fix });
      continue;
    }
    const clash = clashOf(offer.part, need, targets, addresses);
    if (clash) {
      misses.push({ node: node.name, need, problem: clash, fix: 'drop one of the needs' });
      continue;
    }
    parts.push(offer.part);
    for (const resource of offer.relies) {
      if (!relies.some((r) => r.section === resource.section && r.name === resource.name)) relies.push(resource);
    }
  }
  return { parts, relies, misses };
}

// One volume per target, one address per family on a network: as berth run refuses both.
function clashOf(part: PortablePart, need: Need, targets: Map<string, Need>, addresses: Map<string, string>): string | undefined {
  if (part.type === 'mount') {
    const other = targets.get(part.target);
    targets.set(part.target, need);
    return other ? `volumes "${needName(other)}" and "${needName(need)}" are both to be mounted at ${part.target}` : undefined;
  }
  for (const ip of part.addresses) {
    const slot = `${part.network.name}/${ip.family}`;
    const other = addresses.get(slot);
    if (other !== undefined && other !== ip.address) return `the pod would get two IPv${ip.family} addresses on network ${part.network.name}: ${other} and ${ip.address}`;
    addresses.set(slot, ip.address);
  }
  return undefined;
}

// What the pod spec shows of the parts: nodes whose parts look the same can share one pod spec.
function podShape(parts: readonly PortablePart[]): string {
  return JSON.stringify(parts.map((part) => part.type === 'mount'
    ? [part.volume.name, part.target, part.readOnly]
    : [part.network.name, part.addresses.map((ip) => ip.address)]));
}
