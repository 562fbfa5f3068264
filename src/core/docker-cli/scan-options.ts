import { BerthError } from '../errors.js';
import { canonicalName, type OptionSpec, type OptionTable } from './option-table.js';

/** One option as docker's flag parser (spf13/pflag) reads it. */
export interface ScannedOption {
  /** undefined for an unknown `--name=value`, which passes through unread. */
  readonly spec: OptionSpec | undefined;
  /** Documented long name (`network` for `--net`), or the unknown name as written. */
  readonly name: string;
  /** The option as written, without any value: `--env`, `-e`. */
  readonly flag: string;
  /** The value; `true` for a switch given without `=`. */
  readonly value: string;
  /** True when the value sat in the same argument (`--env=X`, `-eX`, `--rm=false`). */
  readonly inline: boolean;
}

/** The argv elements one option, or one cluster of short options (`-itp 80:80`), occupies. */
export interface ScannedGroup {
  readonly argv: readonly string[];
  readonly options: readonly ScannedOption[];
}

export interface ScannedArgv {
  readonly groups: readonly ScannedGroup[];
  /** The arguments that are not options, in order; `--` itself is not among them. */
  readonly operands: readonly string[];
}

export interface ScanContext {
  /** Named in messages: `run`, `build`. */
  readonly command: string;
  /** Whether options may follow operands: docker's `build` allows it, `run` stops at the image. */
  readonly interspersed: boolean;
}

/**
 * Splits an argv into options and operands exactly as docker's flag parser does, so that berth
 * finds the same IMAGE or PATH that docker would.
 *
 * An unknown `--name=value` is kept (docker may have added an option berth does not know yet, and
 * with `=` its value cannot be mistaken for an operand). An unknown `--name` or `-x` without `=`
 * is refused: berth cannot tell whether the next argument is its value or the image.
 */
export function scanOptions(argv: readonly string[], table: OptionTable, context: ScanContext): ScannedArgv {
  const groups: ScannedGroup[] = [];
  const operands: string[] = [];
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index] as string;
    index += 1;
    if (arg.length < 2 || !arg.startsWith('-')) {
      if (!context.interspersed) {
        operands.push(arg, ...argv.slice(index));
        break;
      }
      operands.push(arg);
      continue;
    }
    if (arg === '--') {
      operands.push(...argv.slice(index));
      break;
    }
    const next = argv[index];
    const group = arg.startsWith('--')
      ? scanLong(arg, next, table)
      : scanCluster(arg, next, table, context);
    groups.push(group);
    index += group.argv.length - 1;
  }
  return { groups, operands };
}

function scanLong(arg: string, next: string | undefined, table: OptionTable): ScannedGroup {
  const body = arg.slice(2);
  if (body.startsWith('-') || body.startsWith('=')) {
    fail(`bad option syntax ${quote(arg)}: options are written --name or -n`, 'cli.unknown-option');
  }
  const equals = body.indexOf('=');
  const name = equals < 0 ? body : body.slice(0, equals);
  const flag = `--${name}`;
  const spec = table.byLong.get(name);
  if (equals >= 0) {
    const value = body.slice(equals + 1);
    const option = { spec, name: spec === undefined ? name : canonicalName(spec), flag, value, inline: true };
    return { argv: [arg], options: [option] };
  }
  if (spec === undefined) {
    fail(
      `unknown option ${flag}: berth cannot tell whether it takes a value; ` +
        `write it as ${flag}=VALUE (or ${flag}=true for a switch) and it passes to docker unchanged`,
      'cli.unknown-option',
    );
  }
  if (!spec.takesValue) return { argv: [arg], options: [scanned(spec, flag, 'true', false)] };
  if (next === undefined) missingValue(flag);
  return { argv: [arg, next], options: [scanned(spec, flag, next, false)] };
}

function scanCluster(arg: string, next: string | undefined, table: OptionTable, context: ScanContext): ScannedGroup {
  const options: ScannedOption[] = [];
  let rest = arg.slice(1);
  while (rest.length > 0) {
    const letter = rest.charAt(0);
    const flag = `-${letter}`;
    const spec = table.byShort.get(letter);
    if (spec === undefined) {
      const within = arg === flag ? '' : ` in ${quote(arg)}`;
      fail(
        `unknown option ${quote(flag)}${within}: docker ${context.command} has no such short option; ` +
          `check the spelling, or write a long option as --name=VALUE`,
        'cli.unknown-option',
      );
    }
    if (rest.length > 2 && rest.charAt(1) === '=') {
      options.push(scanned(spec, flag, rest.slice(2), true));
      break;
    }
    if (!spec.takesValue) {
      options.push(scanned(spec, flag, 'true', false));
      rest = rest.slice(1);
      continue;
    }
    if (rest.length > 1) {
      options.push(scanned(spec, flag, rest.slice(1), true));
      break;
    }
    if (next === undefined) missingValue(flag);
    options.push(scanned(spec, flag, next, false));
    return { argv: [arg, next], options };
  }
  return { argv: [arg], options };
}

/**
 * The argv elements of a group with some of its options left out, for options berth consumes
 * itself (`-f` of build): `-qf Dockerfile` without `-f` becomes `-q`.
 */
export function regroup(group: ScannedGroup, keep: (option: ScannedOption) => boolean): readonly string[] {
  const kept = group.options.filter(keep);
  if (kept.length === group.options.length) return group.argv;
  const last = kept.at(-1);
  if (last === undefined) return [];
  const letters = kept.map((option) => option.flag.slice(1)).join('');
  if (last.spec?.takesValue === true) return [`-${letters}`, last.value];
  return [last.inline ? `-${letters}=${last.value}` : `-${letters}`];
}

const TRUE_WORDS = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** A switch's value read as docker reads it (Go's strconv.ParseBool), so `--rm=false` is false. */
export function switchValue(option: ScannedOption): boolean {
  if (TRUE_WORDS.has(option.value)) return true;
  if (FALSE_WORDS.has(option.value)) return false;
  throw new BerthError(
    `${option.flag}=${option.value} is not a valid switch value; ` +
      `write ${option.flag}, ${option.flag}=true or ${option.flag}=false`,
    { code: 'cli.invalid-value' },
  );
}

function scanned(spec: OptionSpec, flag: string, value: string, inline: boolean): ScannedOption {
  return { spec, name: canonicalName(spec), flag, value, inline };
}

function missingValue(flag: string): never {
  fail(`option ${flag} needs a value but nothing follows it; write ${flag} VALUE`, 'cli.missing-value');
}

function fail(message: string, code: string): never {
  throw new BerthError(message, { code });
}

function quote(text: string): string {
  return JSON.stringify(text);
}
