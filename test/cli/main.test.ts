import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VERSION } from '../../src/version.js';
import { assertRefused, runMain } from '../helpers/cli.js';

const COMMANDS = ['build', 'run', 'preprocess', 'inspect', 'check', 'doctor'];

describe('berth', () => {
  for (const argv of [[], ['--help'], ['-h']]) {
    it(`${argv.join(' ') || 'without arguments'}: the help, with every command and the statements, exit 0`, async () => {
      const result = await runMain(argv);
      assert.equal(result.exitCode, 0);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /^Usage: berth \[options\] \[command\]/);
      for (const command of COMMANDS) assert.match(result.stdout, new RegExp(`^  ${command}\\b`, 'm'));
      assert.match(result.stdout, /NEED volume webpages \/var\/www/);
    });
  }

  for (const command of COMMANDS) {
    it(`${command} --help: that command's help, exit 0`, async () => {
      const result = await runMain([command, '--help']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^Usage: berth ${command} `));
    });
  }

  for (const flag of ['--version', '-V']) {
    it(`${flag}: berth's version, then the engine it found, exit 0`, async () => {
      const result = await runMain([flag]);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stderr, '');
      const [version, engine, ...rest] = result.stdout.split('\n');
      assert.equal(version, `berth ${VERSION}`);
      assert.match(engine ?? '', /^engine: (docker|podman) /);
      assert.deepEqual(rest, ['']);
    });
  }

  it('an unknown command: exit 1, named, with a suggestion when one is close', async () => {
    const unknown = await runMain(['frobnicate']);
    assertRefused(unknown, 1, /^berth: unknown command 'frobnicate'\n$/);
    assert.equal(unknown.stdout, '');
    assertRefused(await runMain(['bulid']), 1, /^berth: unknown command 'bulid'\n\(Did you mean build\?\)\n$/);
  });

  it('an unknown option: exit 1, named', async () => {
    for (const command of ['preprocess', 'check', 'inspect', 'doctor']) {
      assertRefused(await runMain([command, '--frob']), 1, /^berth: unknown option '--frob'/);
    }
  });

  it('a missing argument: exit 1, named', async () => {
    assertRefused(await runMain(['inspect']), 1, /^berth: missing required argument 'image'\n$/);
  });

  it('an unknown engine: exit 1 for the commands that report, 125 for run', async () => {
    assertRefused(await runMain(['inspect', '--engine', 'lxc', 'web']), 1, /^berth: unknown engine "lxc": use docker or podman/);
    assertRefused(await runMain(['doctor', '--engine', 'lxc']), 1, /^berth: unknown engine "lxc"/);
    assertRefused(await runMain(['run', '--engine', 'lxc', 'web']), 125, /^berth: unknown engine "lxc"/);
    assertRefused(await runMain(['inspect', 'web'], { BERTH_ENGINE: 'lxc' }), 1, /^berth: unknown engine "lxc"/);
  });
});
