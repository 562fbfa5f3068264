// Writes berth(1) and one page per command into the folder given (npm run build: dist/man), from
// the same command tree and texts as --help, so the two cannot drift apart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { VERSION } from '../../version.js';
import { buildProgram } from '../program.js';
import { helpText, manPage, type ManPage } from './man-page.js';

/** Every man page of berth: berth(1) first, then one per command. */
export function manPages(): ManPage[] {
  let printed = '';
  const program = buildProgram({ stdout: (text) => (printed += text), stderr: () => undefined }, () => undefined);
  const read = (command: Command) => {
    printed = '';
    command.outputHelp();
    return helpText(command, printed);
  };
  const commands = program.commands.filter((command) => command.name() !== 'help');
  const pages = [manPage('berth', read(program), VERSION, commands.map((command) => `berth-${command.name()}(1)`))];
  for (const command of commands) {
    const related = command.name() === 'build' || command.name() === 'run' ? [`docker-${command.name()}(1)`] : [];
    pages.push(manPage(`berth ${command.name()}`, read(command), VERSION, ['berth(1)', ...related]));
  }
  return pages;
}

const [folder] = process.argv.slice(2);
if (folder !== undefined) {
  mkdirSync(folder, { recursive: true });
  for (const page of manPages()) writeFileSync(join(folder, page.file), page.roff);
}
