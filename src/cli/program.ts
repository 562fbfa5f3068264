import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../version.js';
import type { Output } from './output.js';

const DESCRIPTION = 'Dockerfiles say which addresses and volumes a container needs; hosts provide them.';

const STATEMENTS = `
An extended Dockerfile may say:
  ADDRESS webserver                 a named address the host provides (or a literal IP)
  NEED volume webpages /var/www     a named volume the host provides, mounted at /var/www
  NEED network backend              a network the host provides`;

const ENGINE_HELP = 'container engine CLI: docker or podman (default: $BERTH_ENGINE, else docker)';
const HOST_CONFIG_HELP = 'host file (default: $BERTH_HOST_CONFIG, else /etc/berth/host.yaml)';

/** The command tree: help texts and the options berth itself reads. */
export function buildProgram(output: Output, exit: (code: number) => void): Command {
  const program = new Command('berth')
    .description(DESCRIPTION)
    .version(VERSION, '-V, --version', 'print the version and the engine found')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: output.stdout,
      writeErr: output.stderr,
      outputError: (message, write) => write(`berth: ${message.replace(/^error: /, '')}`),
    })
    .exitOverride()
    .addHelpText('after', STATEMENTS);

  program
    .command('build')
    .description('build an image from an extended Dockerfile; needs become image labels')
    .usage('[DOCKER-BUILD-OPTIONS] PATH')
    .addOption(new Option('--engine <name>', ENGINE_HELP))
    .addHelpText('after', `
Every docker build option works as with docker build (-f FILE, -f -, -t, --target, --build-arg, ...).
The statements are removed before docker sees the file; line numbers stay the same.
Exit status: docker build's; 1 when berth itself cannot go on.`);

  program
    .command('run')
    .description('start a container with the addresses, networks and volumes its image needs')
    .usage('[BERTH-OPTIONS] [DOCKER-RUN-OPTIONS] IMAGE [COMMAND [ARG...]]')
    .addOption(new Option('--host-config <file>', HOST_CONFIG_HELP))
    .addOption(new Option('--dry-run', 'print the resolution and the docker commands; create nothing'))
    .addOption(new Option('--allow-override', 'let your own --network/--ip/--ip6/mount options win over the image\'s needs'))
    .addOption(new Option('--bind <[kind.]name=host-name>', "meet the image's need NAME with the host's entry HOST-NAME (repeatable)"))
    .addOption(new Option('--replace <container>', 'upgrade in place: the new container takes over what CONTAINER holds, then CONTAINER is removed'))
    .addOption(new Option('--verbose', 'print each host change and engine command on stderr'))
    .addOption(new Option('--engine <name>', ENGINE_HELP))
    .addHelpText('after', `
Every docker run option works as with docker run (-d, -it, --rm, --name, -e, -p, ...).
Exit status: the container's; 125 when it cannot be started (every unmet need is listed).`);

  program
    .command('preprocess')
    .description('print the plain Dockerfile docker will see (or, with --labels, the labels as JSON)')
    .option('-f, --file <file>', 'the extended Dockerfile; - reads stdin', 'Dockerfile')
    .option('--target <stage>', 'the stage that will be built')
    .option('--labels', 'print the labels berth build would add, as JSON')
    .action(async (options: { file: string; target?: string; labels?: boolean }) => {
      const { preprocessCommand } = await import('./commands/preprocess.js');
      exit(await preprocessCommand(options, output));
    });

  program
    .command('inspect')
    .description("show an image's needs and where each came from")
    .argument('<image>', 'image reference or id')
    .option('--json', 'print JSON')
    .addOption(new Option('--engine <name>', ENGINE_HELP))
    .action(async (image: string, options: { json?: boolean; engine?: string }) => {
      const { inspectCommand } = await import('./commands/inspect.js');
      exit(await inspectCommand(image, options, output));
    });

  program
    .command('check')
    .description('validate an extended Dockerfile and/or a host file; report every problem')
    .option('-f, --file <file>', 'an extended Dockerfile (default: ./Dockerfile when no host file is given)')
    .option('--target <stage>', 'the stage that will be built')
    .addOption(new Option('--host-config <file>', 'a host file to validate'))
    .action(async (options: { file?: string; target?: string; hostConfig?: string }) => {
      const { checkCommand } = await import('./commands/check.js');
      exit(await checkCommand(options, output));
    });

  program
    .command('doctor')
    .description('check this host for berth run: engine, host file, networks, IPv6, volumes, providers')
    .addOption(new Option('--host-config <file>', HOST_CONFIG_HELP))
    .addOption(new Option('--engine <name>', ENGINE_HELP))
    .addHelpText('after', `
Each check prints one line, ✓ or ✗, and for ✗ what to run or change.
Exit status: 1 when any check fails, else 0.`)
    .action(async (options: { hostConfig?: string; engine?: string }) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      exit(await doctorCommand(options, output));
    });

  program
    .command('ps')
    .description('list the containers berth started: what each need holds, proxy entries, drift from the host file')
    .option('-a, --all', 'also the containers that are not running')
    .option('--json', 'print JSON')
    .addOption(new Option('--host-config <file>', HOST_CONFIG_HELP))
    .addOption(new Option('--engine <name>', ENGINE_HELP))
    .action(async (options: { all?: boolean; json?: boolean; hostConfig?: string; engine?: string }) => {
      const { psCommand } = await import('./commands/ps.js');
      exit(await psCommand(options, output));
    });

  program
    .command('rm')
    .description('remove berth containers and release what only they used (NDP proxy entries)')
    .argument('<container...>', 'container names or ids')
    .option('-f, --force', 'remove running containers too')
    .option('--networks', "also remove the host file's networks no container is left on")
    .option('--verbose', 'print each host change and engine command on stderr')
    .addOption(new Option('--host-config <file>', HOST_CONFIG_HELP))
    .addOption(new Option('--engine <name>', ENGINE_HELP))
    .action(async (containers: string[], options: { force?: boolean; networks?: boolean; hostConfig?: string; engine?: string; verbose?: boolean }) => {
      const { rmCommand } = await import('./commands/rm.js');
      exit(await rmCommand(containers, options, output));
    });

  program
    .command('reconcile')
    .description('bring the host back in line with its berth containers: NDP proxy entries, networks, volumes')
    .addOption(new Option('--host-config <file>', HOST_CONFIG_HELP))
    .option('--dry-run', 'print what would change; change nothing')
    .option('--watch', 'stay running: reconcile again whenever a berth container starts')
    .option('--verbose', 'print each host change and engine command on stderr')
    .addOption(new Option('--engine <name>', ENGINE_HELP))
    .addHelpText('after', `
Exit status: 0 when the host is in line, 1 when something could not be fixed (each is printed with its fix).`)
    .action(async (options: { hostConfig?: string; dryRun?: boolean; watch?: boolean; engine?: string; verbose?: boolean }) => {
      const { reconcileCommand } = await import('./commands/reconcile.js');
      exit(await reconcileCommand(options, output));
    });

  program
    .command('export')
    .description("write what an orchestrator needs to run images on nodes whose host files meet their needs")
    .usage('--to kubernetes IMAGE... --host-config NODE=FILE [--host-config NODE=FILE ...] | --to compose IMAGE... [--host-config FILE]')
    .argument('[image...]', 'images to export')
    .requiredOption('--to <format>', 'what to write: kubernetes or compose')
    .option('--host-config <node=file>', "kubernetes: a node's name and its host file (once per node); compose: this host's file", (spec: string, specs: string[] | undefined) => [...(specs ?? []), spec])
    .option('--ip-annotation <kind>', 'how pods ask for fixed addresses: multus (default) or calico')
    .option('--labels-only', 'print only a kubectl label script for the nodes')
    .addOption(new Option('--engine <name>', ENGINE_HELP))
    .addHelpText('after', `
Prints YAML on stdout (see README, "Compose" and "Beyond one host").
Exit status: 1 when an image's needs cannot be met by any node (compose: by this host); nothing is printed then.`)
    .action(async (images: string[], options: { to: string; hostConfig?: string[]; ipAnnotation?: string; labelsOnly?: boolean; engine?: string }) => {
      const { exportCommand } = await import('./commands/export.js');
      exit(await exportCommand(images, { ...options, hostConfig: options.hostConfig ?? [] }, output));
    });

  program
    .command('compose')
    .description('run docker compose with every service\'s addresses, networks and volumes met by this host')
    .usage('[BERTH-OPTIONS] [COMPOSE-OPTIONS] COMMAND [ARGS...]')
    .addOption(new Option('--host-config <file>', HOST_CONFIG_HELP))
    .addOption(new Option('--dry-run', 'print each service\'s resolution, the override file and the commands; create nothing'))
    .addOption(new Option('--allow-override', 'let a service\'s own addresses, network_mode and mounts win over its image\'s needs'))
    .addHelpText('after', `
Uses docker compose when the docker CLI has it, else docker-compose; every compose option and command works.
build, up --build: services whose Dockerfile has ADDRESS/NEED statements are built as berth build does.
up, create, run, start, config: every service's needs are resolved against the host file and added
in an override file after yours (networks at fixed addresses, mounts); nothing starts while any is unmet.
Exit status: compose's; 125 when a need is not met (every unmet need of every service is listed).`);

  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('after', `
Load it into the running shell, or install it for every new one:
  bash  source <(berth completion bash)   berth completion bash > /etc/bash_completion.d/berth
  zsh   source <(berth completion zsh)    berth completion zsh > "\${fpath[1]}/_berth"
  fish  berth completion fish | source    berth completion fish > ~/.config/fish/completions/berth.fish`)
    .action(async (shell: string) => {
      const { completionCommand } = await import('./commands/completion.js');
      exit(completionCommand(shell, program, output));
    });

  return program;
}

/** Prints the help of one command (for build and run, whose options commander does not parse). */
export function printCommandHelp(name: string, output: Output): void {
  buildProgram(output, () => undefined).commands.find((command) => command.name() === name)?.outputHelp();
}

/** Parses the command line of every command but build and run, runs it and returns its exit status. */
export async function runProgram(argv: readonly string[], output: Output): Promise<number> {
  let status = 0;
  const program = buildProgram(output, (code) => {
    status = code;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (caught) {
    if (caught instanceof CommanderError) return caught.exitCode;
    throw caught;
  }
  return status;
}
