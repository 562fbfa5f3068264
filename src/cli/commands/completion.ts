import type { Command } from 'commander';
import { BerthError } from '../../core/errors.js';
import { VERSION } from '../../version.js';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { completionSpec } from '../completion/spec.js';
import { zshScript } from '../completion/zsh.js';
import type { Output } from '../output.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

/** `berth completion SHELL`: prints the completion script for SHELL, made from the command tree. */
export function completionCommand(shell: string, program: Command, output: Output): number {
  if (!Object.hasOwn(SCRIPTS, shell)) {
    throw new BerthError(`cannot complete for shell "${shell}": use ${Object.keys(SCRIPTS).join(', ')}`, { code: 'cli.unknown-shell' });
  }
  output.stdout(SCRIPTS[shell as keyof typeof SCRIPTS](completionSpec(program), VERSION));
  return 0;
}
