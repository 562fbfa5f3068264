import { BerthError, EXIT_CANNOT_START } from '../errors.js';

/** `berth compose`'s own options, given before the compose COMMAND. */
export interface ComposeBerthOptions {
  readonly hostConfig?: string;
  readonly dryRun: boolean;
  readonly allowOverride: boolean;
  readonly help: boolean;
}

/** A `berth compose` command line: berth's options, compose's global options as written, the command and its arguments. */
export interface ParsedCompose {
  readonly berth: ComposeBerthOptions;
  /** Compose's global options, in order, as given. */
  readonly globals: readonly string[];
  /** The values of `-f`/`--file`, in order. */
  readonly files: readonly string[];
  /** `-p`/`--project-name`, and `--project-directory`, when given. */
  readonly projectName?: string;
  readonly projectDirectory?: string;
  readonly command?: string;
  readonly args: readonly string[];
}

// The global options of docker-compose 1.29 and the compose plugin 2.x that take a value.
const VALUE_OPTIONS = new Set([
  '-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '-c', '--context', '-H', '--host',
  '--log-level', '--tlscacert', '--tlscert', '--tlskey', '--ansi', '--parallel', '--progress',
]);
const SWITCHES = new Set(['--verbose', '--no-ansi', '--tls', '--tlsverify', '--skip-hostname-check', '--compatibility', '--all-resources', '-v', '--version']);

/** Splits a `berth compose` command line; compose's own options pass through as written. */
export function parseComposeArgs(argv: readonly string[]): ParsedCompose {
  const berth = { dryRun: false, allowOverride: false, help: false } as { hostConfig?: string; dryRun: boolean; allowOverride: boolean; help: boolean };
  const globals: string[] = [];
  const files: string[] = [];
  let projectName: string | undefined;
  let projectDirectory: string | undefined;
  let index = 0;
  for (; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (!arg.startsWith('-') || arg === '-') break;
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
    if (name === '--dry-run' || name === '--allow-override') {
      if (name !== arg) throw refused(`${name} takes no value`);
      if (name === '--dry-run') berth.dryRun = true;
      else berth.allowOverride = true;
      continue;
    }
    if (name === '-h' || name === '--help') {
      berth.help = true;
      continue;
    }
    const short = /^-[fpcH]./.test(arg) ? arg.slice(0, 2) : undefined;
    if (name === '--host-config' || VALUE_OPTIONS.has(name) || short) {
      let value: string;
      if (short) value = arg.slice(2);
      else if (name !== arg) value = arg.slice(equals + 1);
      else {
        const next = argv[index + 1];
        if (next === undefined) throw refused(`${name} needs a value`);
        value = next;
        index += 1;
      }
      const option = short ?? name;
      if (option === '--host-config') {
        berth.hostConfig = value;
        continue;
      }
      if (option === '-f' || option === '--file') files.push(value);
      if (option === '-p' || option === '--project-name') projectName = value;
      if (option === '--project-directory') projectDirectory = value;
      globals.push(option, value);
      continue;
    }
    if (SWITCHES.has(name) || name !== arg) {
      globals.push(arg);
      continue;
    }
    throw refused(`unknown compose option ${arg}: berth passes an unknown option on only when written ${arg}=VALUE, or put it after the COMMAND`);
  }
  const command = argv[index];
  return {
    berth,
    globals,
    files,
    ...(projectName === undefined ? {} : { projectName }),
    ...(projectDirectory === undefined ? {} : { projectDirectory }),
    ...(command === undefined ? {} : { command }),
    args: argv.slice(index + 1),
  };
}

function refused(message: string): BerthError {
  return new BerthError(message, { code: 'compose.bad-option', exitCode: EXIT_CANNOT_START });
}
