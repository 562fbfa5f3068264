/** How one command-line option of docker, podman or berth is read. */
export interface OptionSpec {
  /** Name without the leading `--`. */
  readonly long: string;
  /** One-letter alias without the leading `-`. */
  readonly short?: string;
  /** True when the option takes a value (`--env X`); false for a switch (`--rm`, `--rm=false`). */
  readonly takesValue: boolean;
  /** The documented name when this one is a hidden alias (`net` → `network`). */
  readonly aliasOf?: string;
  /** Who reads it: both engines when absent, only podman, or berth itself. */
  readonly by?: 'podman' | 'berth';
}

export interface OptionExtras {
  readonly short?: string;
  readonly aliasOf?: string;
  readonly by?: 'podman' | 'berth';
}

export const PODMAN_ONLY: OptionExtras = { by: 'podman' };

/** An option that takes a value: `--name VALUE`, `--name=VALUE`, `-n VALUE`, `-nVALUE`. */
export function valued(long: string, extras: OptionExtras = {}): OptionSpec {
  return { ...extras, long, takesValue: true };
}

/** A switch: `--name`, `--name=false`, `-n`, or one letter of a cluster such as `-it`. */
export function switched(long: string, extras: OptionExtras = {}): OptionSpec {
  return { ...extras, long, takesValue: false };
}

export interface OptionTable {
  readonly byLong: ReadonlyMap<string, OptionSpec>;
  readonly byShort: ReadonlyMap<string, OptionSpec>;
}

/** Indexes a list of options once, so that scanning an argv is a map lookup per option. */
export function optionTable(specs: readonly OptionSpec[]): OptionTable {
  const byLong = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const spec of specs) {
    if (byLong.has(spec.long)) throw new Error(`option table lists --${spec.long} twice`);
    byLong.set(spec.long, spec);
    if (spec.short === undefined) continue;
    if (byShort.has(spec.short)) throw new Error(`option table lists -${spec.short} twice`);
    byShort.set(spec.short, spec);
  }
  return { byLong, byShort };
}

/** The documented name of an option, so that `--net` and `--network` read as one. */
export function canonicalName(spec: OptionSpec): string {
  return spec.aliasOf ?? spec.long;
}
