import type { ObservedContainer } from '../containers/observed.js';
import type { Held } from '../containers/run-labels.js';
import type { ExportContext, NodeOffer } from '../export/offer.js';
import type { HostConfig, HostNetwork } from '../host/host-config.js';
import type { IpAddress } from '../ip.js';
import type { ImageIdentity, MountPlan, ProviderCall, RunPlan } from '../plan/resolution.js';
import type { WorldState } from '../plan/world-state.js';
import type { Need, Origin } from './need.js';

/** The outcome of reading one need's arguments: the need, or why not, pointing at an argument. */
export type KindParse<N extends Need> =
  | { readonly ok: true; readonly need: N }
  | { readonly ok: false; readonly message: string; readonly argument: number };

/** What berth must look at on the host and in the engine to resolve a need. */
export interface Touches {
  /** Host-file network names (declared or not). */
  readonly networks: readonly string[];
  /** Docker named volumes. */
  readonly volumes: readonly string[];
  /** Host directories. */
  readonly directories: readonly string[];
}

/** What a need adds to the engine command, as far as the host file tells before anything is looked at. */
export interface Claims {
  readonly networks: readonly string[];
  readonly mountTargets: readonly string[];
}

/**
 * What a kind's resolution may do: read the host file and the observed state, and add to the
 * plan. The rules that span kinds (one address per family on a network, one volume per target,
 * the engine network's subnets, NDP proxying) live behind `attach` and `mount`, in plan/resolve.ts.
 */
export interface ResolveContext {
  readonly host: HostConfig;
  readonly world: WorldState;
  readonly image: ImageIdentity;
  /** The engine CLI the messages tell the user to run. */
  readonly cli: string;
  /** Whether a host entry's `images` patterns let the image claim it. */
  mayClaim(patterns: readonly string[] | undefined): boolean;
  /** Joins the container to a network, at an address when given. */
  attach(network: HostNetwork, need: Need, address?: IpAddress): void;
  /** Mounts a volume; false when another need already mounts one at its target. */
  mount(mount: MountPlan, need: Need): boolean;
  /** One line of the resolution table. */
  row(need: Need, name: string, result: string): void;
  /** The need cannot be met; a provider may still meet it. */
  unmet(need: Need, problem: string, fix: string, provider?: ProviderCall): void;
}

/** A kind's section of the host file (`volumes:`), for its JSON Schema. */
export interface HostSection {
  readonly key: 'networks' | 'addresses' | 'volumes';
  /** The section's description. */
  readonly help: string;
  /** What an entry is called in messages: `Volume name: ...`. */
  readonly what: string;
  /** One entry, as JSON Schema. */
  readonly entry: object;
  /** The description of `providers.KIND`: what such a provider prints. */
  readonly providerHelp: string;
}

/**
 * One kind of need (`NEED <kind> ...`): everything berth does with it, from the Dockerfile to the
 * engine command. Adding a kind means one module implementing this and one line in the table in
 * `kinds/index.ts`, whose type makes the compiler name any piece a kind lacks.
 */
/** What a container holds for a need of kind N. */
export type HeldOf<N extends Need> = Extract<Held, { readonly kind: N['kind'] }>;

/**
 * What a container holds for one need once berth started it, recorded as its
 * `berth.run.<kind>.<name>` label and read back by ps, rm, reconcile and doctor.
 */
export interface HeldKind<N extends Need> {
  /** The fields of the label's JSON object. */
  readonly fields: readonly string[];
  /** What the need holds once `plan` is carried out, met by the host entry `hostName`; undefined when the plan does not carry it out. */
  record(need: N, hostName: string, host: HostConfig, plan: RunPlan): HeldOf<N> | undefined;
  encode(held: HeldOf<N>): Record<string, string>;
  /** Reads the label of the need `name`; its fields are strings of `fields` (labels are untrusted: a message when they do not fit). */
  decode(name: string, fields: Readonly<Record<string, string | undefined>>): HeldOf<N> | string;
  /** What it holds, for people: `2001:db8::20 on public6`, `/srv/www`. */
  describe(held: HeldOf<N>): string;
  /** Where the record disagrees with what the engine says the container has. */
  mismatch(held: HeldOf<N>, container: ObservedContainer): string[];
  /** How the host file now differs from what the container holds. */
  drift(held: HeldOf<N>, host: HostConfig): string[];
  /** The engine network the container is on for this need, if any. */
  network(held: HeldOf<N>): string | undefined;
  /** The need met by another host entry (`--bind`); undefined when it cannot be (a literal address names itself). */
  rebind(need: N, host: string): N | undefined;
}

export interface NeedKind<N extends Need = Need> {
  readonly kind: N['kind'];
  /** Arguments after the kind, for messages: `NAME TARGET [ro|rw]`. */
  readonly usage: string;
  /** The host file's section that declares what this kind asks for by name. */
  readonly hostSection: HostSection;
  /** Reads the arguments after `NEED <kind>`; the same grammar serves Dockerfiles and labels. */
  parse(args: readonly string[], origin: Origin): KindParse<N>;
  /** The canonical arguments after the kind; `parse(format(n))` gives `n` back. */
  format(need: N): readonly string[];
  /** The need as plain data, without its origin, for `--json` output. */
  json(need: N): Record<string, unknown>;
  /** What the need asks for beyond its name, for `berth inspect`. */
  details(need: N): string;
  /** Why `berth run` would refuse the need on this host before looking at anything, if it would. */
  unprovided(need: N, host: HostConfig): string | undefined;
  touches(need: N, host: HostConfig): Touches;
  claims(need: N, host: HostConfig): Claims;
  /** Decides what on this host meets the need, through `context`. */
  resolve(need: N, context: ResolveContext): void;
  /**
   * How one node of a cluster meets the need, judged from its host file alone (an export runs no
   * providers and looks at no engine), in terms every `berth export` format translates.
   */
  export(need: N, context: ExportContext): NodeOffer;
  readonly held: HeldKind<N>;
}
