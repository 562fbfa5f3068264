import type { HostConfig, HostNetwork, HostVolume } from '../host/host-config.js';
import type { IpAddress } from '../ip.js';
import type { ImageIdentity } from '../plan/resolution.js';

/** One machine of a cluster, described by its own host file. */
export interface ExportNode {
  /** The node's name in the cluster. */
  readonly name: string;
  readonly host: HostConfig;
}

/** A named resource of a node's host file that a need relies on: `addresses` entry `webserver`. */
export interface NodeResource {
  readonly section: 'networks' | 'addresses' | 'volumes';
  readonly name: string;
}

/**
 * What a need becomes in a pod, in terms every export format translates: a volume mounted at a
 * target, or a network joined (at fixed addresses when the need is an address).
 */
export type PortablePart =
  | { readonly type: 'mount'; readonly volume: HostVolume; readonly target: string; readonly readOnly: boolean }
  | { readonly type: 'attach'; readonly network: HostNetwork; readonly addresses: readonly IpAddress[] };

/** How one node meets one need, or why it cannot. */
export type NodeOffer =
  | { readonly ok: true; readonly part: PortablePart; readonly relies: readonly NodeResource[] }
  | { readonly ok: false; readonly problem: string; readonly fix: string };

/** What a kind's export may ask: the node, the image, and whether a host entry's `images` patterns admit the image. */
export interface ExportContext {
  readonly node: ExportNode;
  readonly image: ImageIdentity;
  mayClaim(patterns: readonly string[] | undefined): boolean;
}
