import { decodeLabels, ORIGIN_LABEL_PREFIX } from './labels.js';
import { formatNeed } from './needs/kinds/index.js';
import { needId, type Need } from './needs/need.js';
import { printable } from './printable.js';
import { goDecode } from './dockerfile/go-strings.js';
import type { SplitResult } from './dockerfile/instruction.js';

/** What `berth build` learns about the needs a base image passes on through label inheritance. */
export interface InheritedNeeds {
  /** Lines for the user: each inherited need, and a warning for each the Dockerfile does not declare. */
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  /** Origin labels naming the base, which replace whatever origin the base carried. */
  readonly originLabels: Readonly<Record<string, string>>;
}

/**
 * A base image (or its ONBUILD LABEL triggers) can carry berth labels that the built image
 * inherits: they are listed with the base's reference, and their origins are rewritten to name the
 * base, so that `berth inspect` never attributes them to the Dockerfile being built.
 */
export function inheritedNeeds(
  base: string,
  labels: Readonly<Record<string, string>>,
  onBuild: readonly string[],
  own: readonly Need[],
): InheritedNeeds {
  const shownBase = printable(base, 200);
  const declared = new Set(own.map(needId));
  const notes: string[] = [];
  const warnings: string[] = [];
  const originLabels: Record<string, string> = {};
  const origin = `inherited from ${base}`.slice(0, 512);
  const decoded = decodeLabels(labels);
  for (const need of decoded.needs) {
    const id = needId(need);
    const shown = printable(formatNeed(need).join(' '), 200);
    if (declared.has(id)) {
      notes.push(`base image ${shownBase} also needs ${shown}; the Dockerfile's own statement wins`);
      continue;
    }
    notes.push(`inherits NEED ${shown} from base image ${shownBase}`);
    warnings.push(`need ${shown} comes from base image ${shownBase}, not from this Dockerfile (declare it here, or build from a base without it)`);
    originLabels[`${ORIGIN_LABEL_PREFIX}${id}`] = origin;
  }
  if (decoded.problems.length > 0) {
    warnings.push(`base image ${shownBase} has berth labels that cannot be read; berth run will refuse the image built from it (${decoded.problems.map((p) => `label ${p.key} ${p.message}`).join('; ')})`);
  }
  for (const trigger of onBuild) {
    if (!/^\s*label\b/i.test(trigger) || !/berth\./i.test(trigger)) continue;
    warnings.push(`base image ${shownBase} sets berth labels in the built image through ONBUILD ${printable(trigger, 200)} (build from a base without it)`);
    for (const match of trigger.matchAll(/berth\.need\.([A-Za-z0-9_.:-]+)/g)) {
      const id = match[1] ?? '';
      if (!declared.has(id)) originLabels[`${ORIGIN_LABEL_PREFIX}${id}`] = `${origin} (ONBUILD)`.slice(0, 512);
    }
  }
  return { notes, warnings, originLabels };
}

/** The `ARG` instructions before the first `FROM`, one logical line each, as `expandBase` reads them. */
export function argsBeforeFrom(split: SplitResult): string {
  const lines: string[] = [];
  for (const instruction of split.instructions) {
    if (instruction.keyword === 'FROM') break;
    if (instruction.keyword === 'ARG') lines.push(goDecode(instruction.segments.map((segment) => segment.text).join('')));
  }
  return lines.join('\n');
}

/**
 * The base image reference with `$NAME` and `${NAME}` replaced by `--build-arg` values or the
 * defaults of `ARG`s before the first `FROM`; undefined when a variable stays unknown.
 */
export function expandBase(base: string, buildArgs: readonly string[], dockerfile: string): string | undefined {
  const values = new Map<string, string>();
  for (const line of dockerfile.split(/\r?\n/)) {
    if (/^\s*from\s/i.test(line)) break;
    const arg = /^\s*arg\s+([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))\s*$/i.exec(line);
    if (arg?.[1] !== undefined) values.set(arg[1], arg[3] ?? arg[4] ?? arg[5] ?? '');
  }
  for (const given of buildArgs) {
    const at = given.indexOf('=');
    if (at > 0) values.set(given.slice(0, at), given.slice(at + 1));
  }
  let unknown = false;
  const expanded = base.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced?: string, plain?: string) => {
    const value = values.get(braced ?? plain ?? '');
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown || expanded.includes('$') || expanded === '' ? undefined : expanded;
}
