import { clip } from './needs/grammar.js';
import { hasUnprintable } from './printable.js';
import { formatNeed, needKind } from './needs/kinds/index.js';
import { needId, type Need } from './needs/need.js';

/** Every label berth reads or writes starts with this. */
export const LABEL_PREFIX = 'berth.';
/** Names the label grammar an image was built with. */
export const SCHEMA_LABEL = 'berth.schema';
export const SCHEMA_VERSION = '1';
/** `berth.need.<kind>.<name>`: one label per need, so base and child images merge by key. */
export const NEED_LABEL_PREFIX = 'berth.need.';
/** `berth.origin.<kind>.<name>`: where the need was declared, shown by `berth inspect`. */
export const ORIGIN_LABEL_PREFIX = 'berth.origin.';

const MAX_VALUE_LENGTH = 4096;
const MAX_ORIGIN_LENGTH = 512;
const MAX_BERTH_LABELS = 256;
const MAX_KEY_SHOWN = 160;

/** A berth label that could not be read: the image is refused, naming the label. */
export interface LabelProblem {
  readonly key: string;
  readonly message: string;
}

export function needLabelKey(need: Need): string {
  return `${NEED_LABEL_PREFIX}${needId(need)}`;
}

/** The labels that record `needs` in an image; `declaredAt` maps a need id to where it was declared. */
export function encodeLabels(
  needs: readonly Need[],
  declaredAt: (need: Need) => string | undefined = () => undefined,
): Record<string, string> {
  const labels: Record<string, string> = { [SCHEMA_LABEL]: SCHEMA_VERSION };
  for (const need of needs) {
    labels[needLabelKey(need)] = JSON.stringify(formatNeed(need));
    const origin = declaredAt(need);
    if (origin !== undefined) labels[`${ORIGIN_LABEL_PREFIX}${needId(need)}`] = origin.slice(0, MAX_ORIGIN_LENGTH);
  }
  return labels;
}

export interface DecodedLabels {
  readonly needs: readonly Need[];
  readonly problems: readonly LabelProblem[];
  /** True when the image carries any berth label at all. */
  readonly present: boolean;
}

/** Reads the needs from an image's labels. Labels are untrusted: anything odd is a problem. */
export function decodeLabels(labels: Readonly<Record<string, string>> | null | undefined): DecodedLabels {
  const berthKeys = Object.keys(labels ?? {}).filter((key) => key.startsWith(LABEL_PREFIX)).sort();
  if (berthKeys.length === 0 || !labels) return { needs: [], problems: [], present: false };
  const problems: LabelProblem[] = [];
  const needs: Need[] = [];
  if (berthKeys.length > MAX_BERTH_LABELS) {
    return { needs, present: true, problems: [{ key: LABEL_PREFIX + '*', message: `the image has ${berthKeys.length} berth labels; at most ${MAX_BERTH_LABELS} are read` }] };
  }
  const schema = labels[SCHEMA_LABEL];
  if (schema !== SCHEMA_VERSION) {
    const message = schema === undefined
      ? `is missing; the image's berth labels cannot be read without it`
      : `is "${clip(schema)}", but this berth reads schema ${SCHEMA_VERSION} (upgrade berth or rebuild the image)`;
    return { needs, present: true, problems: [{ key: SCHEMA_LABEL, message }] };
  }
  const declared = new Map<string, string>();
  const origins: string[] = [];
  const badOrigins = new Set<string>();
  for (const key of berthKeys) {
    const value = labels[key] ?? '';
    if (key === SCHEMA_LABEL) continue;
    if (key.startsWith(ORIGIN_LABEL_PREFIX)) {
      origins.push(key);
      continue;
    }
    if (!key.startsWith(NEED_LABEL_PREFIX)) {
      problems.push({ key, message: 'is not a label this berth knows' });
      continue;
    }
    const decoded = decodeNeed(key, value);
    if ('message' in decoded) problems.push({ key, message: decoded.message });
    else {
      needs.push(decoded.need);
      declared.set(needId(decoded.need), key);
    }
  }
  for (const key of origins) {
    const value = labels[key] ?? '';
    const id = key.slice(ORIGIN_LABEL_PREFIX.length);
    if (!declared.has(id)) problems.push({ key, message: `names no need of the image (no label ${NEED_LABEL_PREFIX}${clip(id)})` });
    else if (value.length > MAX_ORIGIN_LENGTH || hasUnprintable(value)) {
      problems.push({ key, message: `is longer than ${MAX_ORIGIN_LENGTH} characters or contains control or format characters` });
      badOrigins.add(id);
    }
  }
  const withOrigins = needs.map((need) => {
    const declaredAt = badOrigins.has(needId(need)) ? undefined : labels[`${ORIGIN_LABEL_PREFIX}${needId(need)}`];
    const origin = { source: 'label' as const, key: needLabelKey(need), ...(declaredAt === undefined ? {} : { declaredAt }) };
    return { ...need, origin };
  });
  // Keys are as untrusted as values: a newline or terminal escape in one must not reach the message.
  const shown = problems.map((problem) => ({ ...problem, key: clip(problem.key, MAX_KEY_SHOWN) }));
  return { needs: withOrigins, problems: shown, present: true };
}

function decodeNeed(key: string, value: string): { need: Need } | { message: string } {
  if (value.length > MAX_VALUE_LENGTH) return { message: `value is longer than ${MAX_VALUE_LENGTH} characters` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { message: `value ${JSON.stringify(clip(value))} is not a JSON array of strings` };
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((item) => typeof item === 'string')) {
    return { message: `value ${JSON.stringify(clip(value))} is not a JSON array of strings` };
  }
  const [kindWord, ...args] = parsed as string[];
  const kind = needKind(kindWord ?? '');
  if (!kind || kind.kind !== kindWord) return { message: `value names unknown kind "${clip(kindWord ?? '')}"` };
  const result = kind.parse(args, { source: 'label', key });
  if (!result.ok) return { message: result.message };
  const expected = needLabelKey(result.need);
  if (expected !== key) return { message: `value ${JSON.stringify(clip(value))} belongs under key ${clip(expected)}` };
  return { need: result.need };
}
