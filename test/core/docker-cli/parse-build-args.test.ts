import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBuildArgs } from '../../../src/core/docker-cli/parse-build-args.js';

const args = (line: string): string[] => line.split(' ').filter((word) => word !== '');

describe('parseBuildArgs finds the Dockerfile and the context', () => {
  const cases: [string, string | undefined, string, string[]][] = [
    // argv, file, context, docker options left
    ['.', undefined, '.', []],
    ['-f Dockerfile.web .', 'Dockerfile.web', '.', []],
    ['--file=web/Dockerfile ctx', 'web/Dockerfile', 'ctx', []],
    ['-f - .', '-', '.', []],
    ['-f- .', '-', '.', []],
    ['-fweb.Dockerfile .', 'web.Dockerfile', '.', []],
    ['-qf df .', 'df', '.', ['-q']],
    ['-qfdf .', 'df', '.', ['-q']],
    ['-q -f df --no-cache .', 'df', '.', ['-q', '--no-cache']],
    ['. -f df -t a', 'df', '.', ['-t', 'a']],
    ['-', undefined, '-', []],
    ['-t x -- -ctx', undefined, '-ctx', ['-t', 'x']],
    ['--pull --network host --progress plain --iidfile id .', undefined, '.', ['--pull', '--network', 'host', '--progress', 'plain', '--iidfile', 'id']],
    ['--secret id=s,src=f --ssh default --cache-from a -o type=local,dest=out .', undefined, '.',
      ['--secret', 'id=s,src=f', '--ssh', 'default', '--cache-from', 'a', '-o', 'type=local,dest=out']],
    ['--check --call=outline --sbom true --provenance mode=max .', undefined, '.', ['--check', '--call=outline', '--sbom', 'true', '--provenance', 'mode=max']],
    ['--pull=missing --layers -v /a:/b --squash-all .', undefined, '.', ['--pull=missing', '--layers', '-v', '/a:/b', '--squash-all']],
    ['--engine podman --format docker .', undefined, '.', ['--format', 'docker']],
  ];
  for (const [line, file, context, dockerOptions] of cases) {
    it(line, () => {
      const parsed = parseBuildArgs(args(line));
      assert.equal(parsed.file, file);
      assert.equal(parsed.context, context);
      assert.deepEqual(parsed.dockerOptions, dockerOptions);
    });
  }
});

describe('parseBuildArgs reads target, tags and labels', () => {
  it('keeps them in the docker options too', () => {
    const options = args('-t a:1 --tag=b --target base --target=final --label x=1 --label=y --build-arg V=2 --platform linux/amd64,linux/arm64 -q');
    const parsed = parseBuildArgs([...options, '.']);
    assert.equal(parsed.target, 'final');
    assert.deepEqual(parsed.tags, ['a:1', 'b']);
    assert.deepEqual(parsed.labels, ['x=1', 'y']);
    assert.deepEqual(parsed.dockerOptions, options);
  });

  it('reads berth --engine and --help', () => {
    assert.deepEqual(parseBuildArgs(args('--engine=podman .')).berth, { engine: 'podman', help: false });
    const help = parseBuildArgs(['-h']);
    assert.deepEqual([help.berth.help, help.context, help.dockerOptions], [true, '', []]);
  });

  it('has no target and no file when none is given', () => {
    const parsed = parseBuildArgs(['.']);
    assert.equal('target' in parsed, false);
    assert.equal('file' in parsed, false);
  });
});

describe('parseBuildArgs refuses', () => {
  const cases: [string[], string, RegExp][] = [
    [[], 'cli.missing-context', /^no PATH given; write berth build \[OPTIONS\] PATH/],
    [['-t', 'x'], 'cli.missing-context', /no PATH given/],
    [['a', 'b'], 'cli.missing-context', /one PATH expected, got "a", "b"/],
    [['-f'], 'cli.missing-value', /option -f needs a value/],
    [['.', '--target'], 'cli.missing-value', /--target needs a value/],
    [['-f', 'a', '--file=b', '.'], 'cli.repeated-file', /given 2 times/],
    [['-f', '-', '-'], 'cli.stdin-twice', /cannot both come from stdin/],
    [['--host-config', 'h', '.'], 'cli.unknown-option', /unknown option --host-config/],
    [['-x', '.'], 'cli.unknown-option', /unknown option "-x"/],
  ];
  for (const [argv, code, message] of cases) {
    it(`${JSON.stringify(argv)} with ${code}`, () => {
      assert.throws(() => parseBuildArgs(argv), { name: 'BerthError', code, exitCode: 1, message });
    });
  }
});
