import { argv } from '../../host/schema-parts.js';
import type { MountPlan, ProviderCall } from '../../plan/resolution.js';
import { clip, nameProblem, targetProblem } from '../grammar.js';
import { hostNameProblem, isVolumeName, pathProblem } from '../../containers/label-values.js';
import type { NeedKind } from '../kind.js';
import type { Origin } from '../need.js';

export interface VolumeNeed {
  readonly kind: 'volume';
  readonly name: string;
  readonly target: string;
  readonly mode: 'rw' | 'ro';
  readonly origin: Origin;
}

// One entry of the host file's `volumes:` section, as JSON Schema.
const volumeEntry = {
  description: 'A named volume: a host directory (source) or a Docker named volume (volume), exactly one of the two.',
  type: 'object',
  additionalProperties: false,
  properties: {
    source: {
      description: 'Absolute path of a host directory, bind-mounted. It must exist; berth never creates it.',
      type: 'string',
      pattern: '^/',
    },
    volume: {
      description: 'Name of a Docker named volume. It must exist; berth never creates it silently.',
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]+$',
    },
    readonly: {
      description: 'Always mount read-only, whatever the image asks.',
      type: 'boolean',
    },
    'follow-symlinks': {
      description:
        'Only with source: false refuses the source when any part of its path is a symbolic link, so that whoever can change a link cannot choose what is mounted. Default true: links are resolved when berth run checks the source.',
      type: 'boolean',
    },
    'copy-up': {
      description:
        "Only with volume: let the engine copy the image's files at the mount target into the volume while it is empty. Off by default: an image never writes into a host volume that way, read-only or not.",
      type: 'boolean',
    },
    provider: argv('Runs when the volume is missing, to make it exist.'),
  },
  oneOf: [{ required: ['source'] }, { required: ['volume'] }],
} as const;

/** `NEED volume NAME TARGET [ro|rw]`: the host's volume NAME mounted at TARGET. */
export const volumeKind: NeedKind<VolumeNeed> = {
  kind: 'volume',
  usage: 'NAME TARGET [ro|rw]',
  hostSection: {
    key: 'volumes',
    help: 'Named volumes, by name.',
    what: 'Volume',
    entry: volumeEntry,
    providerHelp: 'Provides undeclared volumes; prints {"source": ...} or {"volume": ...} on stdout.',
  },
  parse(args, origin) {
    if (args.length < 2 || args.length > 3) {
      return { ok: false, message: `volume takes NAME TARGET [ro|rw], got ${args.length} argument${args.length === 1 ? '' : 's'}`, argument: Math.min(args.length, 3) };
    }
    const [name = '', target = '', mode = 'rw'] = args;
    const badName = nameProblem(name, 'volume name');
    if (badName) return { ok: false, message: badName, argument: 0 };
    const badTarget = targetProblem(target);
    if (badTarget) return { ok: false, message: badTarget, argument: 1 };
    if (mode !== 'ro' && mode !== 'rw') {
      return { ok: false, message: `volume mode "${clip(mode)}" is neither "ro" nor "rw"`, argument: 2 };
    }
    return { ok: true, need: { kind: 'volume', name, target, mode, origin } };
  },
  format(need) {
    return need.mode === 'ro' ? [need.name, need.target, 'ro'] : [need.name, need.target];
  },
  json(need) {
    return { kind: 'volume', name: need.name, target: need.target, mode: need.mode };
  },
  details(need) {
    return `at ${need.target} (${need.mode})`;
  },
  unprovided(need, host) {
    return host.volumes.has(need.name) || host.providers.volume ? undefined : 'is not declared under volumes: and has no provider';
  },
  touches(need, host) {
    const entry = host.volumes.get(need.name);
    return {
      networks: [],
      volumes: entry?.type === 'docker-volume' ? [entry.volume] : [],
      directories: entry?.type === 'bind' ? [entry.source] : [],
    };
  },
  claims(need) {
    return { networks: [], mountTargets: [need.target] };
  },
  resolve(need, context) {
    const { host, world, cli } = context;
    const entry = host.volumes.get(need.name);
    if (!entry) {
      const fallback = host.providers.volume;
      context.unmet(need, `volume "${need.name}" is not provided by ${host.file}`, 'add it under volumes:, or give it a provider', fallback ? { kind: 'volume', name: need.name, argv: fallback, fallback: true } : undefined);
      return;
    }
    const provider: ProviderCall | undefined = entry.provider ? { kind: 'volume', name: entry.name, argv: entry.provider, fallback: false } : undefined;
    let mount: MountPlan;
    if (entry.type === 'bind') {
      const found = world.directories.get(entry.source);
      if (!found?.ok) {
        context.unmet(need, `volume "${need.name}": ${entry.source} ${found?.reason ?? 'was not looked at'}`, `create the directory${provider ? '' : ', or give the volume a provider'}`, provider);
        return;
      }
      if (!entry.followSymlinks && found.symlink !== undefined) {
        context.unmet(need, `volume "${need.name}": ${entry.source} goes through the symbolic link ${found.symlink}, and its entry says follow-symlinks: false`, `give source: as the directory's real path (${found.realPath}), or remove follow-symlinks: false`);
        return;
      }
      if (/[,\n\r"]/.test(found.realPath)) {
        context.unmet(need, `volume "${need.name}": ${found.realPath} contains a comma, quote or newline, which cannot be passed to --mount safely`, 'use a directory whose path has none of these');
        return;
      }
      mount = { type: 'bind', source: found.realPath, target: need.target, readOnly: entry.readOnly || need.mode === 'ro' };
    } else {
      if (world.volumes.get(entry.volume) !== true) {
        context.unmet(need, `volume "${need.name}": ${cli} volume ${entry.volume} does not exist (berth never creates it silently)`, `create it (${cli} volume create ${entry.volume})${provider ? '' : ', or give the volume a provider'}`, provider);
        return;
      }
      mount = { type: 'volume', source: entry.volume, target: need.target, readOnly: entry.readOnly || need.mode === 'ro', ...(entry.copyUp ? { copyUp: true } : {}) };
    }
    if (!context.mount(mount, need)) return;
    const flags = [...(mount.readOnly ? ['ro'] : []), ...(mount.copyUp ? ['copy-up'] : [])];
    context.row(need, need.name, `${mount.type === 'bind' ? mount.source : `${cli} volume ${mount.source}`} at ${mount.target}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`);
  },
  export(need, { node: { host } }) {
    const volume = host.volumes.get(need.name);
    if (!volume) return { ok: false, problem: `volume "${need.name}" is not declared under volumes: in ${host.file}`, fix: 'declare it there (an export runs no providers)' };
    return { ok: true, part: { type: 'mount', volume, target: need.target, readOnly: volume.readOnly || need.mode === 'ro' }, relies: [{ section: 'volumes', name: volume.name }] };
  },
  held: {
    fields: ['host', 'source', 'volume'],
    record(need, hostName, host, plan) {
      const entry = host.volumes.get(hostName);
      if (!entry || !plan.mounts.some((m) => m.target === need.target)) return undefined;
      return entry.type === 'bind'
        ? { kind: 'volume', need: need.name, host: entry.name, source: entry.source }
        : { kind: 'volume', need: need.name, host: entry.name, volume: entry.volume };
    },
    encode(held) {
      return { host: held.host, ...(held.source === undefined ? {} : { source: held.source }), ...(held.volume === undefined ? {} : { volume: held.volume }) };
    },
    decode(name, { host, source, volume }) {
      const problem = hostNameProblem(host);
      if (problem || host === undefined) return problem ?? '';
      if ((source === undefined) === (volume === undefined)) return 'value must have exactly one of "source" and "volume"';
      if (source !== undefined) {
        const bad = pathProblem(source);
        return bad ? `value's source ${bad}` : { kind: 'volume', need: name, host, source };
      }
      if (volume === undefined || !isVolumeName(volume)) return `value's volume "${clip(volume ?? '')}" is not a volume name`;
      return { kind: 'volume', need: name, host, volume };
    },
    describe(held) {
      return held.source ?? `volume ${held.volume ?? ''}`;
    },
    mismatch() {
      // The engine shows the mount's resolved path, not the host file's: nothing to compare.
      return [];
    },
    drift(held, host) {
      const entry = host.volumes.get(held.host);
      if (!entry) return [`volume ${held.host} is no longer in ${host.file}`];
      const now = entry.type === 'bind' ? entry.source : `volume ${entry.volume}`;
      const then = held.source ?? `volume ${held.volume ?? ''}`;
      return now === then ? [] : [`volume ${held.host} is now ${now} in ${host.file}, the container mounts ${then}`];
    },
    network() {
      return undefined;
    },
    rebind(need, host) {
      return { ...need, name: host };
    },
  },
};
