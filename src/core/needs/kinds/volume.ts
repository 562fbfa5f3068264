import { skippedWithoutHost, where, type Check } from '../../doctor/check.js';
import type { DoctorFacts } from '../../doctor/checks.js';
import { label } from '../../host/data-path.js';
import type { Argv } from '../../host/host-config.js';
import { argv as readArgv, text, type Data } from '../../host/host-data.js';
import { argv } from '../../host/schema-parts.js';
import type { MountPlan, ProviderCall } from '../../plan/resolution.js';
import type { Position } from '../../problem.js';
import { clip, nameProblem, targetProblem } from '../grammar.js';
import { hostNameProblem, isVolumeName, pathProblem } from '../../containers/label-values.js';
import type { HostEntry, HostSection, NeedKind } from '../kind.js';
import type { Origin } from '../need.js';

export interface VolumeNeed {
  readonly kind: 'volume';
  readonly name: string;
  readonly target: string;
  readonly mode: 'rw' | 'ro';
  readonly origin: Origin;
}

/** Where a volume's data lives: a host directory or a Docker named volume. */
export type VolumeSource =
  | {
      readonly type: 'bind';
      readonly source: string;
      /** False (`follow-symlinks: false`): refuse the source when any part of its path is a symbolic link. */
      readonly followSymlinks: boolean;
    }
  | {
      readonly type: 'docker-volume';
      readonly volume: string;
      /** Let the engine copy the image's files at the target into the volume while it is empty (`copy-up: true`); off by default. */
      readonly copyUp: boolean;
    };

/** One entry of the host file's `volumes:` section, as read. */
export type HostVolume = VolumeSource & {
  readonly name: string;
  /** Always mounted read-only, whatever the image asks. */
  readonly readOnly: boolean;
  /** Runs when the volume is missing, to make it exist. */
  readonly provider?: Argv;
  readonly at: Position;
};

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
export const volumeKind: NeedKind<VolumeNeed, HostSection<'volumes', HostVolume>> = {
  kind: 'volume',
  usage: 'NAME TARGET [ro|rw]',
  hostSection: {
    key: 'volumes',
    help: 'Named volumes, by name.',
    what: 'Volume',
    entry: volumeEntry,
    providerHelp: 'Provides undeclared volumes; prints {"source": ...} or {"volume": ...} on stdout.',
    read: readVolume,
    write: writeVolume,
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
  doctor: {
    checks(host, facts) {
      if (host === undefined) return [skippedWithoutHost('volumes', facts.host)];
      return [...host.volumes.values()].map((volume) => volumeCheck(volume, facts));
    },
    providers(host) {
      return [...host.volumes.values()].flatMap(({ name, provider, at }) => (provider ? [{ name, argv: provider, at }] : []));
    },
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

// One volume entry, a bind mount or a Docker volume; an entry with neither was reported by the schema.
function readVolume({ name, data, path, at, checker }: HostEntry): HostVolume | undefined {
  const source = text(data['source']);
  const volume = text(data['volume']);
  const provider = readArgv(data['provider']);
  const rest = {
    name,
    readOnly: data['readonly'] === true,
    ...(provider === undefined ? {} : { provider }),
    at,
  };
  if (source !== undefined) {
    // Engines copy an image's files only into named volumes: on a directory the key would promise nothing.
    if (data['copy-up'] !== undefined) {
      const key = [...path, 'copy-up'];
      checker.report(key, 'host.copy-up-on-source', `${label(key)} applies only to a Docker named volume (volume:), not to a host directory (source:); remove it`);
    }
    return { type: 'bind', source, followSymlinks: data['follow-symlinks'] !== false, ...rest };
  }
  if (volume !== undefined) {
    // A named volume's path is the engine's own, never one the host file gives.
    if (data['follow-symlinks'] !== undefined) {
      const key = [...path, 'follow-symlinks'];
      checker.report(key, 'host.follow-symlinks-on-volume', `${label(key)} applies only to a host directory (source:), not to a Docker named volume (volume:); remove it`);
    }
    return { type: 'docker-volume', volume, copyUp: data['copy-up'] === true, ...rest };
  }
  return undefined;
}

function writeVolume(volume: HostVolume): Data {
  return {
    ...(volume.type === 'bind'
      ? { source: volume.source, ...(volume.followSymlinks ? {} : { 'follow-symlinks': false }) }
      : { volume: volume.volume, ...(volume.copyUp ? { 'copy-up': true } : {}) }),
    ...(volume.readOnly ? { readonly: true } : {}),
    ...(volume.provider ? { provider: [...volume.provider] } : {}),
  };
}

function volumeCheck(volume: HostVolume, facts: DoctorFacts): Check {
  const title = `volume ${volume.name}`;
  const provided = volume.provider !== undefined;
  if (volume.type === 'bind') {
    const dir = facts.directories.get(volume.source) ?? { ok: false, reason: 'was not looked at' };
    if (dir.ok && !volume.followSymlinks && dir.symlink !== undefined) {
      return {
        ok: false,
        title,
        detail: `source ${volume.source} goes through the symbolic link ${dir.symlink}, and follow-symlinks: false refuses it`,
        fix: `give source: as the directory's real path, ${dir.realPath} (${where(volume.at)})`,
      };
    }
    if (dir.ok) {
      const real = dir.realPath === volume.source ? '' : ` (${dir.realPath})`;
      return { ok: true, title, detail: `source ${volume.source}${real} is a directory` };
    }
    if (provided) return { ok: true, title, detail: `source ${volume.source} ${dir.reason}; its provider will make it` };
    return {
      ok: false,
      title,
      detail: `source ${volume.source} ${dir.reason}`,
      fix: dir.reason === 'does not exist'
        ? `mkdir -p ${volume.source}, or give the volume a provider (${where(volume.at)})`
        : `make ${volume.source} a directory berth can reach, or correct source: (${where(volume.at)})`,
    };
  }
  const engine = facts.engine;
  if (engine.state !== 'reachable') return { ok: 'skipped', title, detail: `skipped: the engine is not reachable (docker volume ${volume.volume})` };
  if (engine.volumes.get(volume.volume) === true) return { ok: true, title, detail: `${engine.name} volume ${volume.volume} exists` };
  if (provided) return { ok: true, title, detail: `${engine.name} volume ${volume.volume} is missing; its provider will make it` };
  return {
    ok: false,
    title,
    detail: `${engine.name} volume ${volume.volume} does not exist, and berth never creates one by itself`,
    fix: `${engine.name} volume create ${volume.volume}, or give the volume a provider (${where(volume.at)})`,
  };
}
