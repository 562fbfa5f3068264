import type { ParsedRun } from '../docker-cli/parse-run-args.js';
import { type HostNetwork } from '../host/host-config.js';
import { formatSubnet } from '../ip.js';
import type { Attachment, MountPlan, RunPlan } from './resolution.js';

/** Stands for the created container's id in the commands of a multi-network start. */
export const CONTAINER = '<container>';

/** The engine commands that start the container, in order. */
export type StartCommands =
  | { readonly mode: 'run'; readonly run: readonly string[] }
  | {
      readonly mode: 'create';
      readonly create: readonly string[];
      /** The further networks, joined with `network connect` between create and start. */
      readonly connects: readonly Attachment[];
      readonly start: readonly string[];
    };

/**
 * A `--mount` value built field by field from validated parts: the target cannot hold `,` or `=`,
 * and sources with `,`, `"` or newlines are refused before this, so no value can add an option.
 */
export function mountValue(mount: MountPlan): string {
  const fields = [`type=${mount.type}`, `source=${mount.source}`, `target=${mount.target}`];
  // `ro`, not `readonly`: podman 4 refuses `readonly` on type=volume; docker takes both.
  if (mount.readOnly) fields.push('ro');
  if (noCopy(mount)) fields.push('volume-nocopy');
  return fields.join(',');
}

/**
 * The engine arguments for one mount. A named volume is mounted without copy-up unless the host
 * entry allows it: podman 4's `--mount` has no such option, so there it goes as `-v NAME:TARGET:nocopy`,
 * whose fields are the same validated name and target (neither can hold `:` or `,`).
 */
export function mountArgs(mount: MountPlan, options: Pick<StartOptions, 'noCopyOnlyInVolumeFlag'> = {}): string[] {
  if (options.noCopyOnlyInVolumeFlag && noCopy(mount)) {
    return ['-v', `${mount.source}:${mount.target}:${mount.readOnly ? 'ro,' : ''}nocopy`];
  }
  return ['--mount', mountValue(mount)];
}

// An engine copies the image's files into an empty named volume at its first mount ("copy-up"); berth turns that off unless allowed.
function noCopy(mount: MountPlan): boolean {
  return mount.type === 'volume' && mount.copyUp !== true;
}

/** `--network NAME:ip6=A,ip=B`: the form in which podman 4 takes several networks, each with its addresses, in one run. */
export function inlineNetworkArgs(attachment: Attachment): string[] {
  const addresses = [
    ...(attachment.ipv6 ? [`ip6=${attachment.ipv6}`] : []),
    ...(attachment.ipv4 ? [`ip=${attachment.ipv4}`] : []),
  ];
  return ['--network', addresses.length === 0 ? attachment.network.name : `${attachment.network.name}:${addresses.join(',')}`];
}

export function networkArgs(attachment: Attachment): string[] {
  return [
    '--network', attachment.network.name,
    ...(attachment.ipv6 ? ['--ip6', attachment.ipv6] : []),
    ...(attachment.ipv4 ? ['--ip', attachment.ipv4] : []),
  ];
}

export interface StartOptions {
  readonly cidfile?: string;
  /**
   * The engine takes several networks with their addresses in one `run` (podman 4), so a
   * container on several networks starts with `run` too, and exits as `run` would.
   */
  readonly inlineNetworks?: boolean;
  /** What berth resolved, recorded on the container; after the user's options, so that berth's values win. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Create, join the networks and start in separate steps even on one network (`--replace` does, to start it at the last moment). */
  readonly create?: boolean;
  /** A name that wins over the user's `--name` (the engine takes the last one). */
  readonly name?: string;
  /** The engine turns a named volume's copy-up off only in `-v NAME:TARGET:nocopy`, not in `--mount` (podman 4). */
  readonly noCopyOnlyInVolumeFlag?: boolean;
}

/** The `run` of an image without needs: the user's command exactly as `docker run` would take it. */
export function plainRunArgs(parsed: ParsedRun): string[] {
  return ['run', ...parsed.dockerOptions, '--', parsed.image, ...parsed.command];
}

/**
 * The docker commands for a plan: one network, `docker run` with berth's options before the
 * user's; several, `create` with the first, `network connect` for the rest, then `start`
 * (or one `run` with every network, where the engine takes that).
 */
export function startCommands(plan: RunPlan, parsed: ParsedRun, options: StartOptions = {}): StartCommands {
  const mounts = plan.mounts.flatMap((mount) => mountArgs(mount, options));
  const [first, ...rest] = plan.attachments;
  const firstArgs = first ? networkArgs(first) : [];
  const cid = options.cidfile === undefined ? [] : ['--cidfile', options.cidfile];
  const labels = Object.entries(options.labels ?? {}).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  const name = options.name === undefined ? [] : ['--name', options.name];
  const tail = [...labels, ...name, '--', parsed.image, ...parsed.command];
  if (rest.length === 0 && !options.create) {
    return { mode: 'run', run: ['run', ...cid, ...firstArgs, ...mounts, ...parsed.dockerOptions, ...tail] };
  }
  const inline = options.inlineNetworks ? plan.attachments.flatMap(inlineNetworkArgs) : undefined;
  if (inline && !options.create) {
    return { mode: 'run', run: ['run', ...cid, ...inline, ...mounts, ...parsed.dockerOptions, ...tail] };
  }
  const start = parsed.asked.detach
    ? ['start', CONTAINER]
    : ['start', '--attach', ...(parsed.asked.interactive ? ['--interactive'] : []), CONTAINER];
  return { mode: 'create', create: ['create', ...cid, ...(inline ?? firstArgs), ...mounts, ...parsed.createOptions, ...tail], connects: inline ? [] : rest, start };
}

/** A network berth creates from a host-file entry. */
export interface NetworkSpec {
  readonly name: string;
  readonly subnet6?: string;
  readonly gateway6?: string;
  readonly subnet4?: string;
  readonly gateway4?: string;
  readonly options: Readonly<Record<string, string>>;
}

/** The network spec berth creates for a host entry the engine does not have. */
export function networkSpec(network: HostNetwork): NetworkSpec {
  return {
    name: network.name,
    ...(network.subnet6 ? { subnet6: formatSubnet(network.subnet6) } : {}),
    ...(network.gateway6 ? { gateway6: network.gateway6 } : {}),
    ...(network.subnet4 ? { subnet4: formatSubnet(network.subnet4) } : {}),
    ...(network.gateway4 ? { gateway4: network.gateway4 } : {}),
    options: Object.fromEntries(network.options),
  };
}

/** The engine arguments that create `spec`; subnets that have a gateway come first, as the engines pair `--gateway` with `--subnet` in order. */
export function networkCreateArgs(spec: NetworkSpec): string[] {
  const pairs = [
    { subnet: spec.subnet6, gateway: spec.gateway6 },
    { subnet: spec.subnet4, gateway: spec.gateway4 },
  ].filter((pair): pair is { subnet: string; gateway: string | undefined } => pair.subnet !== undefined);
  const ordered = [...pairs.filter((p) => p.gateway !== undefined), ...pairs.filter((p) => p.gateway === undefined)];
  const args = ['network', 'create', ...(spec.subnet6 === undefined ? [] : ['--ipv6'])];
  for (const { subnet, gateway } of ordered) {
    args.push('--subnet', subnet, ...(gateway === undefined ? [] : ['--gateway', gateway]));
  }
  for (const [key, value] of Object.entries(spec.options)) args.push('-o', `${key}=${value}`);
  args.push('--', spec.name);
  return args;
}

/** The addresses a container gets on a network it joins after `create`, in `network connect`'s terms. */
export function connectAddresses(attachment: Attachment): { readonly ip6?: string; readonly ip?: string } {
  return { ...(attachment.ipv6 ? { ip6: attachment.ipv6 } : {}), ...(attachment.ipv4 ? { ip: attachment.ipv4 } : {}) };
}

/** The engine arguments that join a created container to a further network at fixed addresses. */
export function networkConnectArgs(
  network: string,
  container: string,
  addresses: { readonly ip6?: string; readonly ip?: string } = {},
): string[] {
  return [
    'network', 'connect',
    ...(addresses.ip6 === undefined ? [] : ['--ip6', addresses.ip6]),
    ...(addresses.ip === undefined ? [] : ['--ip', addresses.ip]),
    '--', network, container,
  ];
}

/** A command as a shell would need it typed, for `--dry-run`. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((arg) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
