import type { Command } from 'commander';

/** One man page: its file name (`berth-run.1`) and its roff source. */
export interface ManPage {
  readonly file: string;
  readonly roff: string;
}

/** What `--help` prints for a command, as read from it: the parts a man page is made of. */
export interface HelpText {
  readonly usage: string;
  readonly description: string;
  /** Argument lines as `--help` shows them: the name, then the description. */
  readonly arguments: readonly { readonly term: string; readonly description: string }[];
  /** Option lines as `--help` shows them: the flags, then the description. */
  readonly options: readonly { readonly flags: string; readonly description: string }[];
  readonly commands: readonly { readonly name: string; readonly description: string }[];
  /** The text `--help` prints after the options (examples, exit status). */
  readonly after: string;
}

/**
 * Reads a command's help as `--help` prints it: `printed` is its full output (with the text added
 * after it); the parts come from commander's own help formatter.
 */
export function helpText(command: Command, printed: string): HelpText {
  const help = command.createHelp();
  const base = command.helpInformation();
  return {
    usage: help.commandUsage(command),
    description: help.commandDescription(command),
    arguments: help.visibleArguments(command).map((argument) => ({ term: help.argumentTerm(argument), description: help.argumentDescription(argument) })),
    options: help.visibleOptions(command).map((option) => ({ flags: help.optionTerm(option), description: help.optionDescription(option) })),
    commands: help.visibleCommands(command)
      .filter((sub) => sub.name() !== 'help')
      .map((sub) => ({ name: sub.name(), description: help.subcommandDescription(sub) })),
    after: printed.startsWith(base) ? printed.slice(base.length) : '',
  };
}

/** The man page of `berth` (`page` is berth's own) or of one command, in section 1. */
export function manPage(name: string, help: HelpText, version: string, seeAlso: readonly string[]): ManPage {
  const title = name.replaceAll(' ', '-');
  const lines = [
    `.TH ${roff(title.toUpperCase())} 1 "" "berth ${roff(version)}" "berth manual"`,
    '.SH NAME',
    `${roff(title)} \\- ${roff(help.description)}`,
    '.SH SYNOPSIS',
    `.B ${roff(help.usage.split(' ').slice(0, name.split(' ').length).join(' '))}`,
    roff(help.usage.split(' ').slice(name.split(' ').length).join(' ')),
  ];
  if (help.commands.length > 0) {
    lines.push('.SH COMMANDS');
    for (const command of help.commands) lines.push('.TP', `.B ${roff(command.name)}`, roff(command.description));
  }
  if (help.arguments.length > 0) {
    lines.push('.SH ARGUMENTS');
    for (const argument of help.arguments) lines.push('.TP', `.I ${roff(argument.term)}`, roff(argument.description));
  }
  if (help.options.length > 0) {
    lines.push('.SH OPTIONS');
    for (const option of help.options) lines.push('.TP', `.B ${roff(option.flags).replace(/<([^>]+)>/g, '\\fI$1\\fB')}`, roff(option.description));
  }
  if (help.after.trim() !== '') lines.push('.SH DESCRIPTION', ...paragraphs(help.after));
  lines.push('.SH SEE ALSO', seeAlso.map((page) => `.BR ${roff(page).replace(/\((\d)\)$/, ' ($1)')}`).join(',\n'));
  return { file: `${title}.1`, roff: `${lines.join('\n')}\n` };
}

// Indented lines (examples, statement tables) stay as written; the rest is filled text.
function paragraphs(text: string): string[] {
  const out: string[] = [];
  let verbatim = false;
  for (const line of text.replace(/^\n+|\n+$/g, '').split('\n')) {
    const indented = /^\s/.test(line);
    if (line.trim() === '') {
      if (verbatim) out.push('.fi');
      verbatim = false;
      out.push('.PP');
      continue;
    }
    if (indented && !verbatim) out.push('.nf', '.RS 4');
    if (!indented && verbatim) out.push('.RE', '.fi');
    else if (!indented && out.length > 0 && out.at(-1) !== '.PP') out.push('.br');
    verbatim = indented;
    out.push(roff(indented ? line.replace(/^ {2}/, '') : line));
  }
  if (verbatim) out.push('.RE', '.fi');
  return out;
}

/** Text escaped for roff: backslashes, hyphens, and a leading dot or quote. */
function roff(text: string): string {
  return text.replaceAll('\\', '\\e').replaceAll('-', '\\-').replace(/^([.'])/, '\\&$1');
}
