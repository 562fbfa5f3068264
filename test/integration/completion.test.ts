// berth completion, loaded by the real shells: bash (driven as readline drives it, with and
// without bash-completion and docker's own completion), fish (`complete -C`) and zsh (compdef).
// Image names come from the engine when Tab is pressed, so an image this test tags shows up.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Option } from 'commander';
import { execa } from 'execa';
import { bashScript } from '../../src/cli/completion/bash.js';
import { completionSpec } from '../../src/cli/completion/spec.js';
import { buildProgram } from '../../src/cli/program.js';
import { berth } from '../helpers/berth.js';
import { completeWithBash } from '../helpers/bash-completion.js';
import { BASE_IMAGE, Cleanup, dockerOk, engineSkip, ensureBaseImage, testPrefix } from '../helpers/engine.js';

describe('berth completion', { skip: await engineSkip() }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const image = cleanup.image(`${prefix}-img:1`);
  let dir = '';
  const scripts: Record<string, string> = {};
  const bash = (line: string, options: { bashCompletion?: boolean; env?: Record<string, string> } = {}) =>
    completeWithBash(scripts['bash'] ?? '', line, { cwd: dir, ...options });

  before(async () => {
    await ensureBaseImage();
    await dockerOk(['tag', BASE_IMAGE, image]);
    dir = await mkdtemp(join(tmpdir(), 'berth-completion-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    for (const shell of ['bash', 'zsh', 'fish']) {
      const result = await berth(['completion', shell]);
      assert.equal(result.exitCode, 0, result.stderr);
      scripts[shell] = join(dir, `berth.${shell}`);
      await writeFile(scripts[shell], result.stdout);
    }
    await writeFile(join(dir, 'host.yaml'), 'volumes: {}\n');
    await writeFile(join(dir, 'Dockerfile.berth'), `FROM ${BASE_IMAGE}\n`);
  });
  after(() => cleanup.run());

  it('registers a function for berth that completes every command --help lists', async () => {
    const help = await berth(['--help']);
    const commands = [...help.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((match) => match[1]);
    assert.ok(commands.includes('completion') && commands.includes('run'), help.stdout);
    const { spec, candidates } = await bash('berth ');
    assert.match(spec, /^complete -F \S+ berth$/);
    assert.deepEqual(candidates.filter((word) => !word.startsWith('-')), commands);
    assert.deepEqual((await bash('berth ch')).candidates, ['check']);
  });

  it('completes each command\'s options as --help lists them', async () => {
    assert.deepEqual((await bash('berth preprocess --')).candidates, ['--file', '--target', '--labels', '--help']);
    assert.deepEqual((await bash('berth inspect --j')).candidates, ['--json']);
    assert.deepEqual((await bash('berth doctor --engine ')).candidates, ['docker', 'podman']);
  });

  it('completes image names from the engine for inspect and run', async () => {
    assert.deepEqual((await bash(`berth inspect ${prefix}-i`)).candidates, [image]);
    assert.ok((await bash(`berth run --dry-run -d ${prefix}-i`)).candidates.includes(image));
    assert.ok((await bash(`berth run -e A=1 ${prefix}-i`, { bashCompletion: false })).candidates.includes(image));
  });

  it('completes file paths for --host-config and -f', async () => {
    assert.deepEqual((await bash('berth run --host-config ho')).candidates, ['host.yaml']);
    assert.deepEqual((await bash('berth check --host-config ho')).candidates, ['host.yaml']);
    assert.deepEqual((await bash('berth check -f Dock')).candidates, ['Dockerfile.berth']);
  });

  it('hands docker\'s own options after berth run to docker\'s completion, with berth\'s added', async () => {
    const options = (await bash('berth run --ho')).candidates;
    assert.ok(options.includes('--hostname'), `docker's --hostname: ${options.join(' ')}`);
    assert.ok(options.includes('--host-config'), `berth's --host-config: ${options.join(' ')}`);
    const restart = (await bash('berth run --rm --restart ')).candidates;
    assert.ok(restart.includes('unless-stopped'), restart.join(' '));
    // berth's own options and their values are taken out: docker does not mistake host.yaml for the IMAGE.
    const drivers = (await bash('berth run --host-config host.yaml --dry-run --log-driver ')).candidates;
    assert.ok(drivers.includes('json-file'), drivers.join(' '));
  });

  it('still completes docker run\'s options when bash has no docker completion', async () => {
    const options = (await bash('berth run --netw', { bashCompletion: false })).candidates;
    assert.deepEqual(options, ['--network', '--network-alias']);
    assert.ok((await bash('berth run --dr', { bashCompletion: false })).candidates.includes('--dry-run'));
  });

  it('loads in fish, which completes commands, options and images, and docker run\'s after berth run', async () => {
    // No user configuration, but fish's own and vendors' completions (docker's among them).
    const complete = async (line: string) =>
      (await execa('fish', ['-c', `source ${scripts['fish']}; complete -C ${JSON.stringify(line)}`], { cwd: dir, env: { XDG_CONFIG_HOME: dir } })).stdout
        .split('\n').map((entry) => entry.split('\t')[0]);
    assert.ok((await complete('berth ins')).includes('inspect'));
    assert.ok((await complete(`berth inspect ${prefix}-i`)).includes(image));
    const options = await complete('berth run --host');
    assert.ok(options.includes('--host-config') && options.includes('--hostname'), options.join(' '));
    assert.ok((await complete(`berth run --host-config host.yaml --rm ${prefix}-i`)).includes(image));
  });

  it('loads in zsh, where compdef registers it for berth', async () => {
    const result = await execa('zsh', ['-f', '-c', `autoload -U compinit && compinit -u -D && source ${scripts['zsh']} && print -r -- $_comps[berth]`]);
    assert.equal(result.stdout, '_berth');
  });

  // zsh completes only inside its line editor, so here its completion builtins print what they
  // are given, and _docker prints the command line it would complete.
  it('in zsh, offers commands, and hands berth run to _docker without berth\'s own options', async () => {
    const zsh = async (line: string) => {
      const driver = [
        'compdef() { :; }',
        'compadd() { while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }',
        '_describe() { print -l -- ${(P)${@[-1]}%%:*}; }',
        '_files() { print -r -- "files $*"; }',
        '_docker() { print -r -- "docker sees: ${(qq)words[@]} at $CURRENT"; }',
        `source ${scripts['zsh']}`,
        'words=("${(@z)LINE}"); [[ $LINE == *" " ]] && words+=("")',
        'CURRENT=${#words}; PREFIX=${words[CURRENT]}',
        '_berth',
      ].join('\n');
      return (await execa('zsh', ['-f', '-c', driver], { env: { LINE: line } })).stdout.split('\n');
    };
    assert.deepEqual((await zsh('berth ')).slice(0, 3), ['build', 'run', 'preprocess']);
    assert.deepEqual(await zsh('berth run --host-config host.yaml --dry-run --network '), ["docker sees: 'docker' 'run' '--network' '' at 4"]);
    assert.deepEqual(await zsh('berth check --host-config '), ['files ']);
    assert.ok((await zsh('berth inspect ')).includes(image));
  });

  // rm and run --replace are not commands yet: a command tree that has them shows the script
  // completes container names for them as soon as program.ts declares them.
  it('completes container names for rm and run --replace once the command tree has them', async () => {
    const container = cleanup.container(`${prefix}-box`);
    await dockerOk(['create', '--name', container, BASE_IMAGE, 'true']);
    const program = buildProgram({ stdout: () => undefined, stderr: () => undefined }, () => undefined);
    assert.ok(program.commands.some((command) => command.name() === 'rm'), 'berth rm exists');
    const run = program.commands.find((command) => command.name() === 'run');
    if (!run?.options.some((option) => option.long === '--replace')) run?.addOption(new Option('--replace <name>', 'replace the container of that name'));
    const script = join(dir, 'future.bash');
    await writeFile(script, bashScript(completionSpec(program), 'test'));
    assert.deepEqual((await completeWithBash(script, `berth rm ${prefix}-b`)).candidates, [container]);
    assert.deepEqual((await completeWithBash(script, `berth run --dry-run --replace ${prefix}-b`)).candidates, [container]);
    assert.ok((await completeWithBash(script, 'berth run --repl')).candidates.includes('--replace'));
  });

  it('refuses a shell it does not know, naming those it does', async () => {
    const result = await berth(['completion', 'tcsh']);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stderr, 'berth: cannot complete for shell "tcsh": use bash, zsh, fish\n');
  });
});
