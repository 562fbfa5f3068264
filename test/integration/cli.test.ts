// berth's command line as users meet it, run from dist/: preprocess, check and inspect on real
// files and images, --help and --version, and clear refusals of what it does not know.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { BERTH_BIN, berth, fakeDocker, REPO_ROOT, STACK_FRAME, type BerthResult } from '../helpers/berth.js';
import { BASE_IMAGE, Cleanup, docker, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix } from '../helpers/engine.js';

const DOCKERFILES = 'fixtures/dockerfiles';
const HOSTS = 'fixtures/host';
const fromRepo = (path: string) => join(REPO_ROOT, path);
/** berth run from the repository, so that file names in messages are the relative ones given. */
const run = (args: readonly string[], options: { input?: string | Uint8Array; cwd?: string; env?: Record<string, string> } = {}) =>
  berth(args, { cwd: REPO_ROOT, ...options });

function ok(result: BerthResult): void {
  assert.equal(result.exitCode, 0, result.stderr);
}

/** A refusal: exit 1, a `berth:` message, no stack trace. */
function refused(result: BerthResult, message: RegExp): void {
  assert.equal(result.exitCode, 1, `exit status\n${result.stderr}`);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, STACK_FRAME);
  assert.doesNotMatch(result.stderr, /internal error/);
}

function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^\S+:\d+:\d+: (error|warning): /.test(line));
}

/** A golden problems file (written for `Dockerfile` or `host.yaml`) as berth prints it for `file`. */
async function expectedProblems(goldenFile: string, file: string): Promise<string[]> {
  const text = await readFile(fromRepo(goldenFile), 'utf8');
  return text.split('\n').filter((line) => line !== '').map((line) => line.replace(/^[^:]+:/, `${file}:`));
}

const fixtures = (await readdir(fromRepo(DOCKERFILES))).sort();
const badHosts = (await readdir(fromRepo(HOSTS))).filter((name) => name !== 'valid').sort();
const buildable = fixtures.filter((name) => existsSync(fromRepo(`${DOCKERFILES}/${name}/expected.Dockerfile`)));

describe('berth preprocess', () => {
  it('prints a Dockerfile without statements byte for byte', async () => {
    const file = `${DOCKERFILES}/no-statements/Dockerfile`;
    const result = await run(['preprocess', '-f', file]);
    ok(result);
    assert.deepEqual(result.stdoutBytes, await readFile(fromRepo(file)));
    assert.equal(result.stderr, '');
  });

  for (const name of buildable) {
    it(`prints the plain Dockerfile and the labels of ${name}`, async () => {
      const dir = `${DOCKERFILES}/${name}`;
      const optionsFile = fromRepo(`${dir}/options.json`);
      const target = existsSync(optionsFile)
        ? (JSON.parse(await readFile(optionsFile, 'utf8')) as { target?: string }).target
        : undefined;
      const args = ['preprocess', '-f', `${dir}/Dockerfile`, ...(target === undefined ? [] : ['--target', target])];
      const plain = await run(args);
      ok(plain);
      assert.deepEqual(plain.stdoutBytes, await readFile(fromRepo(`${dir}/expected.Dockerfile`)));
      const labels = await run([...args, '--labels']);
      ok(labels);
      assert.equal(labels.stdout, await readFile(fromRepo(`${dir}/expected.labels.json`), 'utf8'));
    });
  }

  it('reads stdin with -f -, CRLF line ends kept', async () => {
    const result = await run(['preprocess', '-f', '-'], { input: await readFile(fromRepo(`${DOCKERFILES}/crlf/Dockerfile`)) });
    ok(result);
    assert.deepEqual(result.stdoutBytes, await readFile(fromRepo(`${DOCKERFILES}/crlf/expected.Dockerfile`)));
  });

  it('reads ./Dockerfile by default', async () => {
    const result = await run(['preprocess'], { cwd: fromRepo(`${DOCKERFILES}/basic`) });
    ok(result);
    assert.deepEqual(result.stdoutBytes, await readFile(fromRepo(`${DOCKERFILES}/basic/expected.Dockerfile`)));
  });

  it('gives the labels of the --target stage, warning about statements that do not reach it', async () => {
    const file = `${DOCKERFILES}/target/Dockerfile`;
    const result = await run(['preprocess', '-f', file, '--target', 'prod', '--labels']);
    ok(result);
    assert.deepEqual(JSON.parse(result.stdout), {
      'berth.schema': '1',
      'berth.need.address.webserver': '["address","webserver"]',
      'berth.origin.address.webserver': 'Dockerfile:6',
    });
    assert.deepEqual(problemLines(result.stderr), [
      `${file}:2:1: warning: NEED in stage "dev" does not reach the built image (stage "prod" does not descend from it)`,
      `${file}:3:1: warning: ADDRESS in stage "dev" does not reach the built image (stage "prod" does not descend from it)`,
    ]);
  });

  it('refuses a --target the file does not have', async () => {
    const result = await run(['preprocess', '-f', `${DOCKERFILES}/target/Dockerfile`, '--target', 'nope']);
    refused(result, /^fixtures\/dockerfiles\/target\/Dockerfile:1:1: error: target stage "nope" not found; stages: dev, prod$/m);
    assert.equal(result.stdout, '');
  });

  it('reports every problem of a bad file, sorted, and prints nothing on stdout', async () => {
    const file = `${DOCKERFILES}/errors/Dockerfile`;
    const result = await run(['preprocess', '-f', file]);
    refused(result, new RegExp(`^berth: ${file}: 10 errors; nothing was done$`, 'm'));
    assert.deepEqual(problemLines(result.stderr), await expectedProblems(`${DOCKERFILES}/errors/expected.problems.txt`, file));
    assert.equal(result.stdout, '');
  });

  it('refuses a missing file, saying what to do', async () => {
    refused(await run(['preprocess', '-f', 'no/such/Dockerfile']), /^berth: cannot read Dockerfile no\/such\/Dockerfile: no such file \(pass the right file with -f FILE\)$/m);
  });
});

describe('berth check', () => {
  it('says ok for a good Dockerfile', async () => {
    const result = await run(['check', '-f', `${DOCKERFILES}/basic/Dockerfile`]);
    ok(result);
    assert.equal(result.stdout, `ok: ${DOCKERFILES}/basic/Dockerfile (3 needs)\n`);
    assert.equal(result.stderr, '');
  });

  it('checks ./Dockerfile by default', async () => {
    const result = await run(['check'], { cwd: fromRepo(`${DOCKERFILES}/json-form`) });
    ok(result);
    assert.equal(result.stdout, 'ok: Dockerfile (4 needs)\n');
  });

  it('passes with warnings', async () => {
    const file = `${DOCKERFILES}/multistage/Dockerfile`;
    const result = await run(['check', '-f', file]);
    ok(result);
    assert.deepEqual(problemLines(result.stderr), await expectedProblems(`${DOCKERFILES}/multistage/expected.problems.txt`, file));
  });

  it('fails with every error of a bad Dockerfile', async () => {
    const file = `${DOCKERFILES}/errors/Dockerfile`;
    const result = await run(['check', '-f', file]);
    refused(result, /errors; nothing was done$/m);
    assert.deepEqual(problemLines(result.stderr), await expectedProblems(`${DOCKERFILES}/errors/expected.problems.txt`, file));
    assert.equal(result.stdout, '');
  });

  it('fails when there is no Dockerfile to check', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'berth-check-'));
    try {
      refused(await run(['check'], { cwd: empty }), /^berth: cannot read Dockerfile Dockerfile: no such file/m);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('says ok for a good host file alone', async () => {
    const result = await run(['check', '--host-config', `${HOSTS}/valid/host.yaml`]);
    ok(result);
    assert.equal(result.stdout, `ok: ${HOSTS}/valid/host.yaml\n`);
    assert.equal(result.stderr, '');
  });

  it('says ok for a Dockerfile whose needs the host file provides', async () => {
    const result = await run(['check', '-f', `${DOCKERFILES}/basic/Dockerfile`, '--host-config', `${HOSTS}/valid/host.yaml`]);
    ok(result);
    assert.equal(result.stdout, `ok: ${DOCKERFILES}/basic/Dockerfile (3 needs), ${HOSTS}/valid/host.yaml\n`);
    assert.equal(result.stderr, '');
  });

  it('warns about a need the host file does not provide', async () => {
    const file = `${DOCKERFILES}/inherit-child/Dockerfile`;
    const result = await run(['check', '-f', file, '--host-config', `${HOSTS}/valid/host.yaml`]);
    ok(result);
    assert.deepEqual(problemLines(result.stderr), [
      `${file}:5:1: warning: network "frontend" is not declared under networks: in ${HOSTS}/valid/host.yaml; berth run would refuse the image there`,
    ]);
  });

  for (const name of badHosts) {
    it(`fails with every error of the ${name} host file`, async () => {
      const file = `${HOSTS}/${name}/host.yaml`;
      const result = await run(['check', '--host-config', file]);
      refused(result, new RegExp(`^berth: ${file}: \\d+ errors?; nothing was done$`, 'm'));
      assert.deepEqual(problemLines(result.stderr), await expectedProblems(`${HOSTS}/${name}/expected.txt`, file));
    });
  }

  it('reports the problems of a bad Dockerfile and a bad host file together', async () => {
    const dockerfile = `${DOCKERFILES}/errors/Dockerfile`;
    const host = `${HOSTS}/unknown-keys/host.yaml`;
    const result = await run(['check', '-f', dockerfile, '--host-config', host]);
    refused(result, /errors; nothing was done$/m);
    assert.deepEqual(problemLines(result.stderr), [
      ...(await expectedProblems(`${DOCKERFILES}/errors/expected.problems.txt`, dockerfile)),
      ...(await expectedProblems(`${HOSTS}/unknown-keys/expected.txt`, host)),
    ]);
  });
});

const engineSkipped = await engineSkip();

describe('berth inspect with a real engine', { skip: engineSkipped }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  let context = '';

  before(async () => {
    await ensureBaseImage();
    context = await mkdtemp(join(tmpdir(), `${prefix}-`));
    cleanup.defer(() => rm(context, { recursive: true, force: true }));
  });
  after(async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix), []);
  });

  /** An image built by plain docker with the given labels, as anyone could publish one. */
  async function imageWithLabels(name: string, labels: readonly string[]): Promise<string> {
    const image = cleanup.image(`${prefix}-${name}`);
    const built = await docker(['build', '-q', ...labels.flatMap((label) => ['--label', label]), '-t', image, '-f', '-', context], {
      input: `FROM ${BASE_IMAGE}\n`,
    });
    assert.equal(built.exitCode, 0, built.stderr);
    return image;
  }

  it('says an image without berth labels declares no needs', async () => {
    const result = await run(['inspect', BASE_IMAGE]);
    ok(result);
    assert.equal(result.stdout, `${BASE_IMAGE} declares no needs; berth run starts it exactly as docker run would.\n`);
    const json = await run(['inspect', '--json', BASE_IMAGE]);
    ok(json);
    const report = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(report['image'], BASE_IMAGE);
    assert.deepEqual(report['needs'], []);
    assert.deepEqual(report['problems'], []);
  });

  it('refuses hostile berth labels, naming each one', async () => {
    const bad = {
      'berth.need.volume.x': 'berth.need.volume.x=["volume","x","/a,readonly"]',
      'berth.need.volume.y': 'berth.need.volume.y=["volume","z","/z"]',
      'berth.need.network.n': 'berth.need.network.n=--network=host',
      'berth.origin.volume.gone': 'berth.origin.volume.gone=Dockerfile:1',
      'berth.evil': 'berth.evil=1',
    };
    const image = await imageWithLabels('hostile', [
      'berth.schema=1', 'berth.need.network.backend=["network","backend"]', 'unrelated=label', ...Object.values(bad),
    ]);

    const result = await run(['inspect', image]);
    refused(result, new RegExp(`^berth: ${image} has berth labels that cannot be read; berth run will refuse it:$`, 'm'));
    for (const key of Object.keys(bad)) {
      assert.match(result.stderr, new RegExp(`^berth: label ${key.replaceAll('.', '\\.')} `, 'm'), `names ${key}`);
    }
    assert.doesNotMatch(result.stderr, /berth\.need\.network\.backend|unrelated/, 'good and foreign labels are not blamed');
    assert.match(result.stderr, /^berth: label berth\.need\.volume\.x .*contains ","/m);

    const json = await run(['inspect', '--json', image]);
    assert.equal(json.exitCode, 1);
    const report = JSON.parse(json.stdout) as { needs: Array<Record<string, unknown>>; problems: Array<{ label: string }> };
    assert.deepEqual(report.problems.map((problem) => problem.label).sort(), Object.keys(bad).sort());
    assert.deepEqual(report.needs.map((need) => need['name']), ['backend']);
  });

  it('refuses berth labels without the schema label', async () => {
    const image = await imageWithLabels('no-schema', ['berth.need.network.backend=["network","backend"]']);
    refused(await run(['inspect', image]), /^berth: label berth\.schema is missing/m);
  });

  it('refuses an image that is not there, saying what to do', async () => {
    refused(await run(['inspect', `${prefix}-absent`]), new RegExp(`^berth: image ${prefix}-absent not found locally \\(build it with berth build, or pull it\\)$`, 'm'));
  });
});

describe('berth --help, --version and what it does not know', () => {
  it('prints package.json\'s version and the engine it found', async () => {
    const { version } = JSON.parse(await readFile(fromRepo('package.json'), 'utf8')) as { version: string };
    const server = (await dockerOk(['version', '--format', '{{.Server.Version}}'])).trim();
    for (const flag of ['--version', '-V']) {
      const result = await run([flag]);
      ok(result);
      assert.equal(result.stdout.split('\n')[0], `berth ${version}`);
      const engine = result.stdout.split('\n')[1] ?? '';
      assert.ok(engine.startsWith(`engine: docker ${server} (client `), engine);
    }
  });

  it('reports an engine that does not answer or is missing on the version line, and exits 0', async () => {
    const unreachable = await run(['--version'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    ok(unreachable);
    assert.match(unreachable.stdout, /^berth \S+\nengine: docker client \S+, engine not reachable \(start it/);
    const missing = await run(['--version'], { env: { PATH: '/nonexistent' } });
    ok(missing);
    assert.match(missing.stdout, /^engine: docker \(not found on PATH\)$/m);
    const unknown = await run(['--version'], { env: { BERTH_ENGINE: 'rkt' } });
    ok(unknown);
    assert.match(unknown.stdout, /^engine: unknown engine "rkt": use docker or podman/m);
  });

  it('names the engine --engine chooses, and refuses other arguments to --version', async () => {
    const podman = await run(['--version', '--engine', 'podman']);
    ok(podman);
    assert.match(podman.stdout, /^engine: podman \d+\.\d+/m);
    refused(await run(['-V', '--engine=rkt']), /^berth: unknown engine "rkt": use docker or podman/m);
    refused(await run(['--version', 'extra']), /^berth: --version takes no arguments but --engine NAME, not "extra"$/m);
  });

  it('prints help naming every command', async () => {
    const result = await run(['--help']);
    ok(result);
    assert.match(result.stdout, /^Usage: berth /);
    for (const command of ['build', 'run', 'preprocess', 'inspect', 'check']) {
      assert.match(result.stdout, new RegExp(`^  ${command} `, 'm'), `lists ${command}`);
    }
    assert.match(result.stdout, /NEED volume webpages \/var\/www/);
    assert.equal(result.stderr, '');
  });

  for (const [command, usage] of [
    ['build', 'Usage: berth build [DOCKER-BUILD-OPTIONS] PATH'],
    ['preprocess', 'Usage: berth preprocess [options]'],
    ['inspect', 'Usage: berth inspect [options] <image>'],
    ['check', 'Usage: berth check [options]'],
  ] as const) {
    it(`prints help for ${command} without running docker`, async () => {
      const fake = await fakeDocker();
      try {
        const result = await berth([command, '--help'], { env: fake.env, cwd: REPO_ROOT });
        ok(result);
        assert.equal(result.stdout.split('\n')[0], usage);
        assert.deepEqual(await fake.calls(), []);
      } finally {
        await fake.remove();
      }
    });
  }

  const mistakes: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['an unknown command', ['frobnicate'], /^berth: unknown command 'frobnicate'/m],
    ['an unknown option', ['--frobnicate'], /^berth: unknown option '--frobnicate'/m],
    ['an unknown option of a command', ['preprocess', '--frobnicate'], /^berth: unknown option '--frobnicate'/m],
    ['a missing argument', ['inspect'], /^berth: missing required argument 'image'/m],
    ['an unknown engine', ['inspect', '--engine', 'nerdctl', BASE_IMAGE], /^berth: unknown engine "nerdctl": use docker or podman/m],
    ['build without PATH', ['build', '-t', 'x'], /^berth: no PATH given; write berth build \[OPTIONS\] PATH/m],
    ['build with stdin twice', ['build', '-f', '-', '-'], /^berth: the Dockerfile \(-f -\) and the context \(PATH -\) cannot both come from stdin/m],
    ['build with -f given twice', ['build', '-f', 'a', '-f', 'b', '.'], /^berth: -f\/--file is given 2 times; give the Dockerfile once/m],
  ];
  for (const [what, args, message] of mistakes) {
    it(`refuses ${what} clearly, without calling docker`, async () => {
      const fake = await fakeDocker();
      try {
        const result = await berth(args, { env: fake.env, cwd: REPO_ROOT });
        refused(result, message);
        assert.equal(result.stdout, '');
        assert.deepEqual(await fake.calls(), []);
      } finally {
        await fake.remove();
      }
    });
  }
});

describe('an incomplete installation', () => {
  it('says berth cannot load itself, without a stack trace, when a bundle is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-incomplete-'));
    try {
      await copyFile(BERTH_BIN, join(dir, 'bin.cjs'));
      const result = await execa(process.execPath, [join(dir, 'bin.cjs'), 'run', 'example/web:1'], { reject: false });
      assert.equal(result.exitCode, 1, result.stderr);
      assert.match(result.stderr, /^berth: cannot load berth itself \(reinstall it\): .*run-main\.cjs/);
      assert.doesNotMatch(result.stderr, STACK_FRAME);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a reader that stops early', () => {
  it('is no error: berth preprocess | head -1 exits 0 and says nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-early-reader-'));
    try {
      const dockerfile = join(dir, 'Dockerfile');
      await writeFile(dockerfile, ['FROM scratch', ...Array.from({ length: 20_000 }, (_, i) => `LABEL line${i}="${'x'.repeat(40)}"`), ''].join('\n'));
      const script = `"$0" "$1" preprocess -f "$2" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
      const result = await execa('bash', ['-c', script, process.execPath, BERTH_BIN, dockerfile], { reject: false });
      assert.equal(result.stdout.trim(), '0', result.stderr);
      assert.equal(result.stderr, '');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
