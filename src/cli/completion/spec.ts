import type { Command, Option } from 'commander';
import type { OptionSpec } from '../../core/docker-cli/option-table.js';
import { RUN_OPTIONS } from '../../core/docker-cli/run-options.js';

/** What the shell offers for an option's value or a command's argument. */
export type ValueKind = 'file' | 'directory' | 'engine' | 'image' | 'container' | 'none';

export interface CompletedOption {
  /** Every spelling: `-f`, `--file`. */
  readonly names: readonly string[];
  readonly description: string;
  /** What its value is; absent for a switch. */
  readonly value?: ValueKind;
}

export interface CompletedCommand {
  readonly name: string;
  readonly description: string;
  readonly options: readonly CompletedOption[];
  /** What its arguments are (the IMAGE of run, the PATH of build). */
  readonly argument: ValueKind;
}

/** Everything a completion script offers, read from the same command tree as `--help`. */
export interface CompletionSpec {
  readonly commands: readonly CompletedCommand[];
  readonly globalOptions: readonly CompletedOption[];
  /** The engines `--engine` accepts. */
  readonly engines: readonly string[];
  /** docker run's own options, for shells that have no docker completion to hand over to. */
  readonly dockerRunOptions: readonly CompletedOption[];
}

export const ENGINES: readonly string[] = ['docker', 'podman'];

// Commands whose arguments commander does not declare (build and run pass theirs to docker),
// and the commands still to come, so that the script is right for them as soon as they exist.
const ARGUMENTS: Readonly<Record<string, ValueKind>> = {
  build: 'directory',
  run: 'image',
  inspect: 'image',
  export: 'image',
  rm: 'container',
};

// Option values that are not files, by the option's long name.
const OPTION_VALUES: Readonly<Record<string, ValueKind>> = {
  engine: 'engine',
  replace: 'container',
  target: 'none',
};

/** Reads the completion spec from berth's command tree. */
export function completionSpec(program: Command): CompletionSpec {
  return {
    commands: program.createHelp().visibleCommands(program).map((command) => ({
      name: command.name(),
      description: command.description(),
      options: visibleOptions(command),
      argument: ARGUMENTS[command.name()] ?? argumentKind(command),
    })),
    globalOptions: visibleOptions(program),
    engines: ENGINES,
    dockerRunOptions: RUN_OPTIONS.filter((spec) => spec.by === undefined && spec.aliasOf === undefined && spec.long !== 'help').map(dockerOption),
  };
}

function completedOption(option: Option): CompletedOption {
  const names = [option.short, option.long].filter((name): name is string => name !== undefined);
  if (!option.required && !option.optional) return { names, description: option.description };
  const long = option.long?.replace(/^--/, '') ?? '';
  const value = OPTION_VALUES[long] ?? (/<(file|path)>/.test(option.flags) ? 'file' : /<dir(ectory)?>/.test(option.flags) ? 'directory' : 'none');
  return { names, description: option.description, value };
}

// As --help lists them: the command's own options and its help option.
function visibleOptions(command: Command): CompletedOption[] {
  return command.createHelp().visibleOptions(command).map(completedOption);
}

function argumentKind(command: Command): ValueKind {
  const [first] = command.registeredArguments;
  if (first === undefined) return 'none';
  const name = first.name();
  if (name === 'image' || name === 'container') return name;
  if (name === 'file' || name === 'path') return 'file';
  return 'none';
}

function dockerOption(spec: OptionSpec): CompletedOption {
  const names = [...(spec.short === undefined ? [] : [`-${spec.short}`]), `--${spec.long}`];
  return spec.takesValue ? { names, description: '', value: 'none' } : { names, description: '' };
}
