import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseComposeArgs } from '../../../src/core/compose/args.js';
import { isBerthError } from '../../../src/core/errors.js';

describe('parseComposeArgs', () => {
  const cases: readonly (readonly [string, readonly string[], Partial<ReturnType<typeof parseComposeArgs>>])[] = [
    ['a bare command', ['up', '-d'], { globals: [], files: [], command: 'up', args: ['-d'] }],
    ['compose options with values, in every spelling, kept as written', ['-f', 'a.yaml', '--file=b.yaml', '-fc.yaml', '-p', 'proj', '--project-directory', 'dir', 'ps'],
      { globals: ['-f', 'a.yaml', '--file', 'b.yaml', '-f', 'c.yaml', '-p', 'proj', '--project-directory', 'dir'], files: ['a.yaml', 'b.yaml', 'c.yaml'], projectName: 'proj', projectDirectory: 'dir', command: 'ps', args: [] }],
    ['switches and an unknown option written with =', ['--verbose', '--weird=1', 'down'], { globals: ['--verbose', '--weird=1'], command: 'down', args: [] }],
    ["berth's own options are taken out", ['--host-config', '/h.yaml', '--dry-run', '--allow-override', 'up', '--dry-run'],
      { globals: [], berth: { hostConfig: '/h.yaml', dryRun: true, allowOverride: true, help: false }, command: 'up', args: ['--dry-run'] }],
    ['options after the command are the command\'s', ['run', '-f', 'x', 'web'], { globals: [], files: [], command: 'run', args: ['-f', 'x', 'web'] }],
    ['no command', ['-p', 'x'], { globals: ['-p', 'x'], args: [] }],
  ];
  for (const [name, argv, expected] of cases) {
    it(name, () => {
      const parsed = parseComposeArgs(argv);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(parsed[key as keyof typeof parsed], value, key);
    });
  }

  const refusals: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['an unknown option without =', ['--weird', '1', 'up'], /^unknown compose option --weird: berth passes an unknown option on only when written --weird=VALUE/],
    ['a value option at the end', ['-f'], /^-f needs a value$/],
    ['--dry-run with a value', ['--dry-run=yes', 'up'], /^--dry-run takes no value$/],
  ];
  for (const [name, argv, message] of refusals) {
    it(`refuses ${name}, exit 125`, () => {
      assert.throws(() => parseComposeArgs(argv), (caught) => isBerthError(caught) && message.test(caught.message) && caught.exitCode === 125);
    });
  }
});
