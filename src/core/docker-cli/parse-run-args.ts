import { BerthError } from '../errors.js';
import { BERTH_RUN_OPTIONS, isDockerOption, readBerthOptions, type BerthOptions } from './berth-options.js';
import { optionTable } from './option-table.js';
import { RUN_OPTIONS } from './run-options.js';
import { readUserRunOptions, type UserRunOptions } from './user-run-options.js';
import { regroup, scanOptions, type ScannedGroup } from './scan-options.js';

/** A `berth run` command line taken apart. */
export interface ParsedRun {
  readonly berth: BerthOptions;
  /** The user's docker options, unchanged and in order, without berth's own, `--help` and `--`. */
  readonly dockerOptions: readonly string[];
  /** The same without the options `docker create` does not take (`-d`, `--sig-proxy`). */
  readonly createOptions: readonly string[];
  /** Empty only when `--help` was given without an image. */
  readonly image: string;
  readonly command: readonly string[];
  readonly asked: UserRunOptions;
}

// `docker run` options that `docker create` refuses; `docker start` takes their place.
const RUN_ONLY: ReadonlySet<string> = new Set(['detach', 'sig-proxy']);

const TABLE = optionTable([...BERTH_RUN_OPTIONS, ...RUN_OPTIONS]);
const USAGE = 'berth run [OPTIONS] IMAGE [COMMAND] [ARG...]';

/**
 * Takes `berth run` arguments apart the way `docker run` would, so that berth knows the IMAGE,
 * its own options and what the user's docker options ask for.
 */
export function parseRunArgs(argv: readonly string[]): ParsedRun {
  const context = { command: 'run', interspersed: false };
  const { groups, operands } = scanOptions(argv, TABLE, context);
  const options = groups.flatMap((group) => group.options);
  const berth = readBerthOptions(options);
  const [image, ...command] = operands;
  if ((image === undefined && !berth.help) || image === '') {
    const what = image === '' ? 'the IMAGE is an empty string' : `no IMAGE given${consumedHint(groups)}`;
    throw new BerthError(`${what}; write ${USAGE}`, { code: 'cli.missing-image' });
  }
  return {
    berth,
    dockerOptions: groups.flatMap((group) => regroup(group, isDockerOption)),
    createOptions: groups.flatMap((group) => regroup(group, (option) => isDockerOption(option) && !RUN_ONLY.has(option.name))),
    image: image ?? '',
    command,
    asked: readUserRunOptions(options.filter(isDockerOption)),
  };
}

function consumedHint(groups: readonly ScannedGroup[]): string {
  const last = groups.at(-1)?.options.at(-1);
  if (last === undefined || last.inline || last.spec?.takesValue !== true) return '';
  return ` (${last.flag} took ${JSON.stringify(last.value)} as its value)`;
}
