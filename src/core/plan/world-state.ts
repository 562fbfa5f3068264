/** The state of the host and engine that the needs touch, observed by run/observe-world.ts before resolving and read by the pure core. */

/** Docker's network option for how IPv6 leaves the bridge: `nat` or `routed`. */
export const GATEWAY_MODE_IPV6 = 'com.docker.network.bridge.gateway_mode_ipv6';

/** A container attached to a network and the addresses it holds there. */
export interface AddressHolder {
  readonly container: string;
  readonly id: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
  /** The engine's state word when the container is not running (it holds its addresses all the same). */
  readonly stopped?: string;
}

/** An engine network as it exists now. */
export interface EngineNetwork {
  readonly name: string;
  readonly ipv6: boolean;
  /** CIDRs, canonical. */
  readonly subnets: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly holders: readonly AddressHolder[];
}

export type DirectoryState =
  | {
      readonly ok: true;
      readonly realPath: string;
      /** The first part of the path as given (a directory on it, or the path itself) that is a symbolic link. */
      readonly symlink?: string;
    }
  | { readonly ok: false; readonly reason: string };

export interface InterfaceState {
  readonly exists: boolean;
  /** `net.ipv6.conf.IF.proxy_ndp` is 1. */
  readonly proxyNdp: boolean;
}

export interface WorldState {
  /** The engine CLI the messages tell the user to run (`docker`, `podman`); docker when absent. */
  readonly engine?: string;
  /** Engine networks by name; absent from the map: not gathered; `undefined` value: does not exist. */
  readonly networks: ReadonlyMap<string, EngineNetwork | undefined>;
  /** Docker named volumes by name: whether each exists. */
  readonly volumes: ReadonlyMap<string, boolean>;
  /** Host directories by path, symlinks resolved. */
  readonly directories: ReadonlyMap<string, DirectoryState>;
  readonly interfaces: ReadonlyMap<string, InterfaceState>;
  /** True when an engine network without an explicit IPv6 gateway mode NATs IPv6 (docker 27+ with ip6tables). */
  readonly ipv6NatByDefault: boolean;
}
