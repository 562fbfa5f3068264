import { clip, isName } from '../needs/grammar.js';
import { parseIp } from '../ip.js';
import type { LabelProblem } from '../labels.js';

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
// The host file's own rule for `ndp-proxy`, and the engine's for volume names.
const INTERFACE_PATTERN = /^(?!\.\.?$)[^\s/:]{1,15}$/;
const VOLUME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;

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
  switch (held.kind) {
    case 'address':
      return {
        ...(held.host === undefined ? {} : { host: held.host }),
        network: held.network,
        ...(held.ipv6 === undefined ? {} : { ipv6: held.ipv6 }),
        ...(held.ipv4 === undefined ? {} : { ipv4: held.ipv4 }),
        ...(held.ndpProxy === undefined ? {} : { 'ndp-proxy': held.ndpProxy }),
      };
    case 'volume':
      return { host: held.host, ...(held.source === undefined ? {} : { source: held.source }), ...(held.volume === undefined ? {} : { volume: held.volume }) };
    case 'network':
      return { host: held.host };
  }
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
  const kind = rest.slice(0, dot);
  const need = rest.slice(dot + 1);
  if (dot < 0 || (kind !== 'address' && kind !== 'volume' && kind !== 'network')) return 'is not a label this berth knows';
  const literal = kind === 'address' ? canonicalIp(need) : undefined;
  if (!isName(need) && literal === undefined) return `names "${clip(need)}", which is not a valid name${kind === 'address' ? ' or canonical IP address' : ''}`;
  if (value.length > MAX_VALUE_LENGTH) return `value is longer than ${MAX_VALUE_LENGTH} characters`;
  const fields = jsonStrings(value);
  if (typeof fields === 'string') return fields;
  const allowed = ALLOWED_FIELDS[kind];
  const unknown = Object.keys(fields).find((field) => !allowed.includes(field));
  if (unknown !== undefined) return `value has field "${clip(unknown)}", which a ${kind} does not have`;
  const { host, network, ipv6, ipv4, source, volume } = fields;
  const ndpProxy = fields['ndp-proxy'];
  if (host !== undefined && !isName(host)) return `value names host entry "${clip(host)}", which is not a valid name`;
  switch (kind) {
    case 'network':
      if (host === undefined) return 'value has no "host"';
      return { kind, need, host };
    case 'volume':
      if (host === undefined) return 'value has no "host"';
      if ((source === undefined) === (volume === undefined)) return 'value must have exactly one of "source" and "volume"';
      if (source !== undefined) {
        const problem = pathProblem(source);
        return problem ? `value's source ${problem}` : { kind, need, host, source };
      }
      if (volume !== undefined && !VOLUME_PATTERN.test(volume)) return `value's volume "${clip(volume)}" is not a volume name`;
      return { kind, need, host, ...(volume === undefined ? {} : { volume }) };
    case 'address': {
      if (literal === undefined && host === undefined) return 'value has no "host"';
      if (literal !== undefined && host !== undefined) return 'value names a host entry for a literal address';
      if (network === undefined || !isName(network)) return `value's network ${network === undefined ? 'is missing' : `"${clip(network)}" is not a valid name`}`;
      if (ipv6 === undefined && ipv4 === undefined) return 'value has neither "ipv6" nor "ipv4"';
      if (ipv6 !== undefined && canonicalIp(ipv6, 6) !== ipv6) return `value's ipv6 "${clip(ipv6)}" is not a canonical IPv6 address`;
      if (ipv4 !== undefined && canonicalIp(ipv4, 4) !== ipv4) return `value's ipv4 "${clip(ipv4)}" is not a canonical IPv4 address`;
      if (literal !== undefined && literal !== ipv6 && literal !== ipv4) return `value does not hold the literal address ${literal} its key names`;
      if (ndpProxy !== undefined && (ipv6 === undefined || !INTERFACE_PATTERN.test(ndpProxy))) {
        return ipv6 === undefined ? 'value has "ndp-proxy" without "ipv6"' : `value's ndp-proxy "${clip(ndpProxy)}" is not an interface name`;
      }
      return {
        kind, need, network,
        ...(host === undefined ? {} : { host }),
        ...(ipv6 === undefined ? {} : { ipv6 }),
        ...(ipv4 === undefined ? {} : { ipv4 }),
        ...(ndpProxy === undefined ? {} : { ndpProxy }),
      };
    }
  }
}

const ALLOWED_FIELDS: Readonly<Record<Held['kind'], readonly string[]>> = {
  address: ['host', 'network', 'ipv6', 'ipv4', 'ndp-proxy'],
  volume: ['host', 'source', 'volume'],
  network: ['host'],
};

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

// The canonical form of an address without prefix, if `text` is one (of `family`, when given).
function canonicalIp(text: string, family?: 4 | 6): string | undefined {
  const parsed = parseIp(text);
  if (!parsed.ok || parsed.value.prefix !== undefined || (family !== undefined && parsed.value.family !== family)) return undefined;
  return parsed.value.address === text ? text : undefined;
}

function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return `"${clip(path)}" is not an absolute path`;
  if (path.length > MAX_VALUE_LENGTH) return `is longer than ${MAX_VALUE_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(path)) return `"${clip(path)}" contains control characters`;
  return undefined;
}
