import { BerthError } from '../errors.js';
import { BERTH_BUILD_OPTIONS, isDockerOption, readBerthOptions, type BerthOptions } from './berth-options.js';
import { BUILD_OPTIONS } from './build-options.js';
import { optionTable } from './option-table.js';
import { regroup, scanOptions, type ScannedOption } from './scan-options.js';

/** A `berth build` command line taken apart. */
export interface ParsedBuild {
  readonly berth: Pick<BerthOptions, 'engine' | 'help'>;
  /**
   * The user's docker options, unchanged and in order, without `-f`/`--file` (berth passes its
   * own Dockerfile), berth's options, `--help` and the PATH. A PATH that starts with `-` must be
   * passed after `--`.
   */
  readonly dockerOptions: readonly string[];
  /** The user's Dockerfile as given to `-f`; `-` means stdin; absent means PATH/Dockerfile. */
  readonly file?: string;
  /** The PATH operand as given (`-` means a context read from stdin); empty only with `--help`. */
  readonly context: string;
  readonly target?: string;
  readonly tags: readonly string[];
  readonly labels: readonly string[];
  /** `--build-arg` values as given (`NAME=value`, or `NAME` alone), for resolving `FROM ${NAME}`. */
  readonly buildArgs: readonly string[];
}

const TABLE = optionTable([...BERTH_BUILD_OPTIONS, ...BUILD_OPTIONS]);
const USAGE = 'berth build [OPTIONS] PATH';

/** Takes `berth build` arguments apart the way `docker build` would, finding PATH and `-f` wherever they stand. */
export function parseBuildArgs(argv: readonly string[]): ParsedBuild {
  const context = { command: 'build', interspersed: true };
  const { groups, operands } = scanOptions(argv, TABLE, context);
  const options = groups.flatMap((group) => group.options);
  const { engine, help } = readBerthOptions(options);
  const files = values(options, 'file');
  if (files.length > 1) {
    fail(`-f/--file is given ${files.length} times; give the Dockerfile once`, 'cli.repeated-file');
  }
  const file = files[0];
  if (operands.length !== 1 && !(help && operands.length === 0)) {
    const found =
      operands.length === 0
        ? 'no PATH given'
        : `one PATH expected, got ${operands.map((operand) => JSON.stringify(operand)).join(', ')}`;
    fail(`${found}; write ${USAGE} (PATH - reads the context from stdin)`, 'cli.missing-context');
  }
  const buildContext = operands[0] ?? '';
  if (file === '-' && buildContext === '-') {
    fail(
      'the Dockerfile (-f -) and the context (PATH -) cannot both come from stdin; give one of them as a path',
      'cli.stdin-twice',
    );
  }
  const target = values(options, 'target').at(-1);
  const keep = (option: ScannedOption): boolean => isDockerOption(option) && option.name !== 'file';
  return {
    berth: { ...(engine === undefined ? {} : { engine }), help },
    dockerOptions: groups.flatMap((group) => regroup(group, keep)),
    ...(file === undefined ? {} : { file }),
    context: buildContext,
    ...(target === undefined ? {} : { target }),
    tags: values(options, 'tag'),
    labels: values(options, 'label'),
    buildArgs: values(options, 'build-arg'),
  };
}

function values(options: readonly ScannedOption[], name: string): string[] {
  return options.filter((option) => option.spec !== undefined && option.name === name).map((option) => option.value);
}

function fail(message: string, code: string): never {
  throw new BerthError(message, { code });
}
