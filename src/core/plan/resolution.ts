import type { Argv, HostNetwork } from '../host/host-config.js';
import type { Need, NeedKindName } from '../needs/need.js';

/** The image being run, as the user named it, with its repository digests (for `images` patterns). */
export interface ImageIdentity {
  readonly ref: string;
  readonly digests: readonly string[];
  /** Other references the engine resolves `ref` to, naming the same image (podman: `web` is `localhost/web:latest`). */
  readonly aliases?: readonly string[];
  /**
   * The image's own repository tags, as the engine records them. When given, `images` patterns are
   * matched against these and the digests only, never against the reference as typed.
   */
  readonly tags?: readonly string[];
}

/** A provider berth may run to make a missing resource exist (README, "Providers"). */
export interface ProviderCall {
  readonly kind: NeedKindName;
  readonly name: string;
  readonly argv: Argv;
  /** True for `providers.KIND`: it prints the entry as JSON; false for an entry's own `provider`. */
  readonly fallback: boolean;
}

/** A need that cannot be met: what was looked at, and what to do. */
export interface Unmet {
  readonly need: Need;
  readonly problem: string;
  readonly fix: string;
  /** A provider that might still meet it. */
  readonly provider?: ProviderCall;
}

/** A network the container joins, with the addresses it gets there. */
export interface Attachment {
  readonly network: HostNetwork;
  readonly ipv6?: string;
  readonly ipv4?: string;
  /** The engine has no such network yet: berth creates it from the host entry. */
  readonly create: boolean;
}

export interface MountPlan {
  readonly type: 'bind' | 'volume';
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /**
   * A named volume only: the engine may copy the image's files at the target into it while it is
   * empty. Absent or false: berth turns that off, so an image never writes into a host volume.
   */
  readonly copyUp?: boolean;
}

export interface NdpEntry {
  readonly address: string;
  readonly iface: string;
}

/** What berth will add to the user's docker command. */
export interface RunPlan {
  readonly attachments: readonly Attachment[];
  readonly mounts: readonly MountPlan[];
  readonly ndp: readonly NdpEntry[];
}

/** One line of the resolution table `--dry-run` prints. */
export interface ResolutionRow {
  readonly kind: string;
  readonly name: string;
  readonly result: string;
}

export interface Resolution {
  readonly rows: readonly ResolutionRow[];
  readonly unmet: readonly Unmet[];
  readonly warnings: readonly string[];
  /** Present when every need is met. */
  readonly plan?: RunPlan;
}
