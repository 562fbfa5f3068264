import type { CompletedOption, CompletionSpec } from './spec.js';

/** Every spelling of every option, space-separated. */
export function optionNames(options: readonly CompletedOption[]): string {
  return options.flatMap((option) => option.names).join(' ');
}

/**
 * The shell functions bash and zsh scripts share (both read this `case` syntax): each command's
 * options, what an option's value is, and what a command's arguments are.
 */
export function shellTables(spec: CompletionSpec): string {
  const valueCases = spec.commands.flatMap((command) =>
    command.options
      .filter((option) => option.value !== undefined)
      .map((option) => `    ${option.names.map((name) => `'${command.name} ${name}'`).join(' | ')}) echo ${option.value} ;;`),
  );
  return `# The options of command $1.
_berth_options() {
  case $1 in
${spec.commands.map((command) => `    ${command.name}) echo '${optionNames(command.options)}' ;;`).join('\n')}
  esac
}

# What the value of option $2 of command $1 is; fails for a switch.
_berth_value_kind() {
  case "$1 $2" in
${valueCases.join('\n')}
    *) return 1 ;;
  esac
}

# What the arguments of command $1 are.
_berth_argument_kind() {
  case $1 in
${spec.commands.filter((command) => command.argument !== 'none').map((command) => `    ${command.name}) echo ${command.argument} ;;`).join('\n')}
    *) echo none ;;
  esac
}
`;
}
