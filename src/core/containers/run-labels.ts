import { clip, isName } from '../needs/grammar.js';
import { NEED_KINDS, needKind } from '../needs/kinds/index.js';
import type { LabelProblem } from '../labels.js';
import { canonicalIp, pathProblem } from './label-values.js';

/** Every label berth puts on a container it starts begins with this; images' own labels never do. */
export const RUN_LABEL_PREFIX = 'berth.run.';
/** The grammar of the run labels; a container without it was not started by berth. */
export const RUN_SCHEMA_LABEL = 'berth.run.schema';
export const RUN_SCHEMA_VERSION = '1';
/** The image reference the user gave; berth starts containers by the image's id. */
export const IMAGE_LABEL = 'berth.image';
/** The absolute path of the host file the container's needs were resolved against. */
export const HOST_FILE_LABEL = 'berth.run.host-file';

const MAX_VALUE_LENGTH = 4096;
const MAX_RUN_LABELS = 256;
const MAX_KEY_SHOWN = 160;

/** An address need as berth met it: the host entry (absent for a literal), where, and the NDP proxy entry berth keeps for it. */
export interface HeldAddress {
  readonly kind: 'address';
  /** The image's name for the need: a NAME, or the canonical literal address. */
  readonly need: string;
  /** The host file's entry that met it; absent for a literal address. */
  readonly host?: string;
  readonly network: string;
  readonly ipv6?: string;
  readonly ipv4?: string;
  /** The interface on which berth added an NDP proxy entry for `ipv6`. */
  readonly ndpProxy?: string;
}

/** A volume need as berth met it: the host entry and its host-file `source` or engine `volume`. */
export interface HeldVolume {
  readonly kind: 'volume';
  readonly need: string;
  readonly host: string;
  readonly source?: string;
  readonly volume?: string;
}

export interface HeldNetwork {
  readonly kind: 'network';
  readonly need: string;
  /** The host file's network, which is also the engine network's name. */
  readonly host: string;
}

/** What one need of a container holds on the host. */
export type Held = HeldAddress | HeldVolume | HeldNetwork;

/** What berth resolved for a container, as recorded on it when it was started. */
export interface RunRecord {
  readonly hostFile: string;
  readonly held: readonly Held[];
}

/** The labels `berth run` adds to a container so that later commands know what it holds. */
export function encodeRunLabels(record: RunRecord): Record<string, string> {
  const labels: Record<string, string> = { [RUN_SCHEMA_LABEL]: RUN_SCHEMA_VERSION, [HOST_FILE_LABEL]: record.hostFile };
  for (const held of record.held) labels[heldKey(held)] = JSON.stringify(heldValue(held));
  return labels;
}

export function heldKey(held: Pick<Held, 'kind' | 'need'>): string {
  return `${RUN_LABEL_PREFIX}${held.kind}.${held.need}`;
}

function heldValue(held: Held): Record<string, string> {
  return NEED_KINDS[held.kind].held.encode(held);
}

export type DecodedRun =
  | { readonly present: false }
  | { readonly present: true; readonly record: RunRecord; readonly problems: readonly LabelProblem[] };

/**
 * Reads back what berth recorded on a container. Anyone can set labels on a container (or bake
 * them into an image), so every value is checked with the same rules as the host file and
 * statements; a container with any problem is one berth must not act on.
 */
export function decodeRunLabels(labels: Readonly<Record<string, string>> | null | undefined): DecodedRun {
  const keys = Object.keys(labels ?? {}).filter((key) => key.startsWith(RUN_LABEL_PREFIX)).sort();
  if (!labels || keys.length === 0) return { present: false };
  const problems: LabelProblem[] = [];
  const held: Held[] = [];
  const empty = { hostFile: '', held };
  if (keys.length > MAX_RUN_LABELS) {
    return { present: true, record: empty, problems: [{ key: `${RUN_LABEL_PREFIX}*`, message: `the container has ${keys.length} berth.run labels; at most ${MAX_RUN_LABELS} are read` }] };
  }
  const schema = labels[RUN_SCHEMA_LABEL];
  if (schema !== RUN_SCHEMA_VERSION) {
    const message = schema === undefined ? 'is missing' : `is "${clip(schema)}", but this berth reads ${RUN_SCHEMA_VERSION} (upgrade berth)`;
    return { present: true, record: empty, problems: [{ key: RUN_SCHEMA_LABEL, message }] };
  }
  const hostFile = labels[HOST_FILE_LABEL];
  const hostFileProblem = hostFile === undefined ? 'is missing' : pathProblem(hostFile);
  if (hostFileProblem) problems.push({ key: HOST_FILE_LABEL, message: hostFileProblem });
  for (const key of keys) {
    if (key === RUN_SCHEMA_LABEL || key === HOST_FILE_LABEL) continue;
    const decoded = decodeHeld(key, labels[key] ?? '');
    if (typeof decoded === 'string') problems.push({ key: clip(key, MAX_KEY_SHOWN), message: decoded });
    else held.push(decoded);
  }
  return { present: true, record: { hostFile: hostFile ?? '', held }, problems };
}

function decodeHeld(key: string, value: string): Held | string {
  const rest = key.slice(RUN_LABEL_PREFIX.length);
  const dot = rest.indexOf('.');
  const kind = dot < 0 ? undefined : needKind(rest.slice(0, dot));
  const need = rest.slice(dot + 1);
  if (!kind || kind.kind !== rest.slice(0, dot)) return 'is not a label this berth knows';
  if (!isName(need) && (kind.kind !== 'address' || canonicalIp(need) === undefined)) {
    return `names "${clip(need)}", which is not a valid name${kind.kind === 'address' ? ' or canonical IP address' : ''}`;
  }
  if (value.length > MAX_VALUE_LENGTH) return `value is longer than ${MAX_VALUE_LENGTH} characters`;
  const fields = jsonStrings(value);
  if (typeof fields === 'string') return fields;
  const unknown = Object.keys(fields).find((field) => !kind.held.fields.includes(field));
  if (unknown !== undefined) return `value has field "${clip(unknown)}", which a ${kind.kind} does not have`;
  return kind.held.decode(need, fields);
}

function jsonStrings(value: string): Record<string, string> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return `value ${JSON.stringify(clip(value))} is not a JSON object of strings`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    return `value ${JSON.stringify(clip(value))} is not a JSON object of strings`;
  }
  return parsed as Record<string, string>;
}
