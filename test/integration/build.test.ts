// `berth build` against the real engine, with each builder (legacy and BuildKit): the labels it
// adds, that the image is the one docker builds from the plain Dockerfile, that the plain file
// never lands in the build context, that docker's status comes back, and that bad input is
// refused before docker is ever called.
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { berth, fakeDocker, REPO_ROOT, STACK_FRAME, type BerthResult } from '../helpers/berth.js';
import {
  BASE_IMAGE, Cleanup, docker, dockerBuilders, dockerOk, engineSkip, ensureBaseImage, leftovers,
  testPrefix,
} from '../helpers/engine.js';

const FIXTURES = join(REPO_ROOT, 'fixtures/dockerfiles');
const skip = await engineSkip();
const builders = skip === false ? await dockerBuilders() : [];
const prefix = testPrefix();
const cleanup = new Cleanup({ prefix });
let work = '';

before(async () => {
  work = await mkdtemp(join(tmpdir(), `${prefix}-`));
  cleanup.defer(() => rm(work, { recursive: true, force: true }));
  if (skip === false) await ensureBaseImage();
});

after(async () => {
  await cleanup.run();
  if (skip === false) assert.deepEqual(await leftovers(prefix), [], 'every image the tests built is gone');
});

/** A tag unique to this run, removed after the tests. */
function tag(name: string): string {
  return cleanup.image(`${prefix}-${name}`);
}

/** A fresh folder under this run's work folder, with the given files (paths relative to it). */
async function folder(name: string, files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

function succeeded(result: BerthResult, what: string): void {
  assert.equal(result.exitCode, 0, `${what} failed:\n${result.stderr}`);
}

async function labelsOf(image: string): Promise<Record<string, string>> {
  const json = await dockerOk(['image', 'inspect', '--format', '{{json .Config.Labels}}', image]);
  return (JSON.parse(json) as Record<string, string> | null) ?? {};
}

/** What makes an image behave as it does, apart from its labels. */
async function configOf(image: string): Promise<Record<string, unknown>> {
  const json = await dockerOk(['image', 'inspect', '--format', '{{json .Config}}', image]);
  const config = JSON.parse(json) as Record<string, unknown>;
  const { Cmd, Entrypoint, Env, WorkingDir, User, ExposedPorts, Volumes } = config;
  return { Cmd, Entrypoint, Env, WorkingDir, User, ExposedPorts, Volumes };
}

/** Runs IMAGE's own command (with `command`, its arguments) in a removed-after container; returns stdout. */
async function runIn(image: string, command: readonly string[] = []): Promise<string> {
  return dockerOk(['run', '--rm', image, ...command]);
}

/** A file's text in an image, or undefined when it is not there. */
async function fileIn(image: string, path: string): Promise<string | undefined> {
  const result = await docker(['run', '--rm', '--entrypoint', 'cat', image, path]);
  return result.exitCode === 0 ? result.stdout : undefined;
}

/** A fixture's expected.labels.json as `berth build -t TAG` writes it: origins carry the tag. */
async function expectedLabels(fixture: string, imageTag: string): Promise<Record<string, string>> {
  const labels = JSON.parse(await readFile(join(FIXTURES, fixture, 'expected.labels.json'), 'utf8')) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(labels).map(([key, value]) => [key, key.startsWith('berth.origin.') ? `${imageTag} ${value}` : value]),
  );
}

/** Expected problems of a fixture as berth prints them for the file named `file`. */
async function expectedProblems(fixture: string, file: string): Promise<string[]> {
  const text = await readFile(join(FIXTURES, fixture, 'expected.problems.txt'), 'utf8');
  return text.split('\n').filter((line) => line !== '').map((line) => line.replace(/^Dockerfile:/, `${file}:`));
}

/** Every entry under `dir` with its type, size, mode and modification time. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  const described = await Promise.all(entries.map(async (entry) => {
    const info = await lstat(join(dir, entry));
    return `${entry} ${info.isDirectory() ? 'dir' : 'file'} ${info.size} ${info.mode.toString(8)} ${info.mtimeMs}`;
  }));
  return described.sort();
}

async function lsInImage(image: string, path: string): Promise<string[]> {
  const listing = await dockerOk(['run', '--rm', '--entrypoint', 'ls', image, '-1a', path]);
  return listing.split('\n').filter((name) => name !== '' && name !== '.' && name !== '..').sort();
}

describe('berth build with a real engine', { skip }, () => {
  it('has both builders to test: legacy and BuildKit', () => {
    assert.deepEqual(builders.map((builder) => builder.name).sort(), ['buildkit', 'legacy']);
  });

  for (const builder of builders) {
    describe(`${builder.name} builder (${builder.client})`, () => {
      const build = (args: readonly string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}) =>
        berth(['build', ...args], { ...options, env: { ...builder.env, ...options.env }, cwd: options.cwd ?? REPO_ROOT });
      const name = (what: string) => tag(`${what}-${builder.name}`);

      it('labels the basic image with exactly its needs, each origin naming the tag', async () => {
        const image = name('basic');
        succeeded(await build(['-t', image, 'fixtures/dockerfiles/basic']), 'berth build');
        assert.deepEqual(await labelsOf(image), await expectedLabels('basic', image));
      });

      for (const fixture of ['basic', 'with-context']) {
        it(`builds ${fixture} into the image docker builds from the plain Dockerfile`, async () => {
          const file = join(FIXTURES, fixture, 'Dockerfile');
          const context = fixture === 'with-context' ? join(FIXTURES, fixture, 'build') : join(FIXTURES, fixture);
          const extended = name(`${fixture}-berth`);
          const plain = name(`${fixture}-plain`);
          succeeded(await build(['-t', extended, '-f', file, context]), 'berth build');
          const preprocessed = await berth(['preprocess', '-f', file]);
          succeeded(preprocessed, 'berth preprocess');
          const built = await docker(['build', '-t', plain, '-f', '-', context], { input: preprocessed.stdout, env: builder.env });
          assert.equal(built.exitCode, 0, built.stderr);

          assert.deepEqual(await configOf(extended), await configOf(plain));
          assert.deepEqual(await labelsOf(plain), {});
          assert.deepEqual(await labelsOf(extended), await expectedLabels(fixture, extended));
          assert.deepEqual(await lsInImage(extended, '/'), await lsInImage(plain, '/'));
          if (fixture === 'with-context') {
            const page = await readFile(join(context, 'page.html'), 'utf8');
            for (const image of [extended, plain]) {
              assert.equal(await runIn(image), 'hello world', `${image} runs its CMD`);
              assert.equal(await runIn(image, ['/www/index.html']), page.trimEnd());
              assert.deepEqual(await lsInImage(image, '/app'), ['greeting.txt']);
              assert.deepEqual(await lsInImage(image, '/data'), []);
            }
          }
        });
      }

      it('merges a base image\'s needs with a child\'s, the child winning for the same kind and name', async () => {
        const baseDir = await folder(`base-${builder.name}`, {
          'Base.Dockerfile': [
            `FROM ${BASE_IMAGE}`,
            'NEED volume webpages /www ro',
            'ADDRESS webserver',
            'RUN echo base > /base.txt',
            '',
          ].join('\n'),
        });
        const base = name('needs-base');
        const child = name('needs-child');
        succeeded(await build(['-t', base, '-f', join(baseDir, 'Base.Dockerfile'), baseDir]), 'building the base');
        const childBuild = await build(['-t', child, '--build-arg', `BASE=${base}`, 'fixtures/dockerfiles/inherit-child']);
        succeeded(childBuild, 'building the child');
        const said = childBuild.stderr.split('\n');
        assert.ok(said.includes(`berth: inherits NEED address webserver from base image ${base}`), childBuild.stderr);
        assert.ok(said.includes(`berth: base image ${base} also needs volume webpages /www ro; the Dockerfile's own statement wins`), childBuild.stderr);
        assert.ok(said.some((line) => line.startsWith(`berth: warning: need address webserver comes from base image ${base}, not from this Dockerfile`)), childBuild.stderr);

        assert.deepEqual(await labelsOf(child), {
          'berth.schema': '1',
          'berth.need.address.webserver': '["address","webserver"]',
          'berth.origin.address.webserver': `inherited from ${base}`,
          'berth.need.volume.webpages': '["volume","webpages","/srv/www"]',
          'berth.origin.volume.webpages': `${child} Dockerfile:4`,
          'berth.need.network.frontend': '["network","frontend"]',
          'berth.origin.network.frontend': `${child} Dockerfile:5`,
        });
        assert.equal(await fileIn(child, '/base.txt'), 'base', 'the child is built FROM the base');

        const shown = await berth(['inspect', child]);
        succeeded(shown, 'berth inspect');
        const rows = shown.stdout.trimEnd().split('\n');
        assert.equal(rows.length, 4, shown.stdout);
        assert.match(rows[0] ?? '', /^KIND\s+NAME\s+DETAILS\s+DECLARED AT$/);
        assert.ok(rows.some((row) => /^address\s+webserver\s+named by the host\s+/.test(row) && row.endsWith(`inherited from ${base}`)), shown.stdout);
        assert.ok(rows.some((row) => /^volume\s+webpages\s+at \/srv\/www \(rw\)\s+/.test(row) && row.endsWith(`${child} Dockerfile:4`)), shown.stdout);
        assert.ok(rows.some((row) => /^network\s+frontend\s+/.test(row) && row.endsWith(`${child} Dockerfile:5`)), shown.stdout);

        const json = await berth(['inspect', '--json', child]);
        succeeded(json, 'berth inspect --json');
        const report = JSON.parse(json.stdout) as { image: string; needs: Array<Record<string, unknown>>; problems: unknown[] };
        assert.equal(report.image, child);
        assert.deepEqual(report.problems, []);
        const byLabel = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a['label']).localeCompare(String(b['label']));
        assert.deepEqual([...report.needs].sort(byLabel), [
          { kind: 'address', name: 'webserver', label: 'berth.need.address.webserver', declaredAt: `inherited from ${base}` },
          { kind: 'network', name: 'frontend', label: 'berth.need.network.frontend', declaredAt: `${child} Dockerfile:5` },
          { kind: 'volume', name: 'webpages', target: '/srv/www', mode: 'rw', label: 'berth.need.volume.webpages', declaredAt: `${child} Dockerfile:4` },
        ]);
      });

      it('names the base image as the origin of needs it passes on, whatever origin it forged, ONBUILD included', async () => {
        const base = name('forged-base');
        const child = name('forged-child');
        // Labels anyone could publish: a need, an origin claiming the child's Dockerfile, and an ONBUILD LABEL.
        await dockerOk(['build', '--quiet', '--tag', base,
          '--label', 'berth.schema=1',
          '--label', 'berth.need.volume.secrets=["volume","secrets","/s"]',
          '--label', 'berth.origin.volume.secrets=Dockerfile:2',
          '-'], { input: `FROM ${BASE_IMAGE}\nONBUILD LABEL berth.need.network.sneaky='["network","sneaky"]' berth.origin.network.sneaky=Dockerfile:3\n`, env: builder.env });
        const context = await folder(`forged-${builder.name}`, { Dockerfile: `FROM ${base}\nNEED volume webpages /www\n` });
        const result = await build(['-t', child, context]);
        succeeded(result, 'building FROM the forged base');
        assert.ok(result.stderr.split('\n').includes(`berth: inherits NEED volume secrets /s from base image ${base}`), result.stderr);
        assert.match(result.stderr, new RegExp(`^berth: warning: need volume secrets /s comes from base image ${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, not from this Dockerfile`, 'm'));
        assert.match(result.stderr, /^berth: warning: base image \S+ sets berth labels in the built image through ONBUILD LABEL/m);
        const labels = await labelsOf(child);
        assert.equal(labels['berth.origin.volume.secrets'], `inherited from ${base}`);
        assert.equal(labels['berth.origin.network.sneaky'], `inherited from ${base} (ONBUILD)`);
        assert.equal(labels['berth.origin.volume.webpages'], `${child} Dockerfile:2`);
        const shown = await berth(['inspect', child]);
        succeeded(shown, 'berth inspect');
        assert.ok(shown.stdout.split('\n').some((row) => /^volume\s+secrets\s+/.test(row) && row.endsWith(`inherited from ${base}`)), shown.stdout);
      });

      it('labels a multi-stage image with the needs of the built stage and its ancestors, and warns about the rest', async () => {
        const image = name('multistage');
        const result = await build(['-t', image, 'fixtures/dockerfiles/multistage']);
        succeeded(result, 'berth build');
        assert.deepEqual(await labelsOf(image), await expectedLabels('multistage', image));
        for (const warning of await expectedProblems('multistage', 'fixtures/dockerfiles/multistage/Dockerfile')) {
          assert.ok(result.stderr.split('\n').includes(warning), `stderr lacks ${warning}:\n${result.stderr}`);
        }
        assert.equal(await runIn(image), 'tools', 'COPY --from=tools still works');
      });

      it('labels the --target stage and its ancestors only', async () => {
        const image = name('multistage-base');
        const result = await build(['--target', 'base', '-t', image, 'fixtures/dockerfiles/multistage']);
        succeeded(result, 'berth build --target base');
        const expected = await expectedLabels('multistage', image);
        delete expected['berth.need.volume.data'];
        delete expected['berth.origin.volume.data'];
        assert.deepEqual(await labelsOf(image), expected);
        assert.match(result.stderr, /^fixtures\/dockerfiles\/multistage\/Dockerfile:6:1: warning: NEED in stage "tools" does not reach the built image/m);
        assert.match(result.stderr, /^fixtures\/dockerfiles\/multistage\/Dockerfile:10:1: warning: NEED in stage "app" does not reach the built image/m);
        assert.equal(await fileIn(image, '/tools.txt'), undefined, 'the app stage was not built');
      });

      it('builds and runs a Dockerfile with CRLF line ends', async () => {
        const image = name('crlf');
        succeeded(await build(['-t', image, 'fixtures/dockerfiles/crlf']), 'berth build');
        assert.deepEqual(await labelsOf(image), await expectedLabels('crlf', image));
        assert.equal(await runIn(image), 'crlf');
      });

      it('builds a Dockerfile that is not UTF-8 as docker builds it without the statements', async () => {
        // Docker stores commands as JSON, which has no room for the byte 0xE9: the bytes berth hands
        // over are checked by the preprocess tests; here, that docker takes them alike from both.
        const context = await folder(`latin1-${builder.name}`);
        const image = name('latin1');
        const plain = name('latin1-plain');
        const dockerfile = Buffer.from(`# Maintainer: Ren\xe9\nFROM ${BASE_IMAGE}\nNEED network backend\nRUN echo caf\xe9 > /motd\nCMD ["cat", "/motd"]\n`, 'latin1');
        await writeFile(join(context, 'Dockerfile'), dockerfile);
        succeeded(await build(['-t', image, context]), 'berth build');
        assert.equal((await labelsOf(image))['berth.need.network.backend'], '["network","backend"]');
        await writeFile(join(context, 'Plain.Dockerfile'), Buffer.from(dockerfile.toString('latin1').replace('NEED network backend', ''), 'latin1'));
        const built = await docker(['build', '-t', plain, '-f', join(context, 'Plain.Dockerfile'), context], { env: builder.env });
        assert.equal(built.exitCode, 0, built.stderr);
        assert.deepEqual(await configOf(image), await configOf(plain));
        assert.equal(await runIn(image), await runIn(plain));
      });

      it('reads the Dockerfile from stdin with -f -', async () => {
        const context = await folder(`stdin-${builder.name}`, { 'data.txt': 'data\n' });
        const image = name('stdin');
        const dockerfile = `FROM ${BASE_IMAGE}\nNEED volume webpages /www\nCOPY . /ctx\n`;
        succeeded(await build(['-f', '-', '-t', image, context], { input: dockerfile }), 'berth build -f -');
        const labels = await labelsOf(image);
        assert.equal(labels['berth.need.volume.webpages'], '["volume","webpages","/www"]');
        assert.match(labels['berth.origin.volume.webpages'] ?? '', new RegExp(`^${image} \\S+:2$`));
        assert.deepEqual(await lsInImage(image, '/ctx'), ['data.txt']);
      });

      it('builds with -f naming a file outside the context, relative to the working folder', async () => {
        const root = await folder(`outside-${builder.name}`, {
          'dockerfiles/App.Dockerfile': `FROM ${BASE_IMAGE}\nADDRESS webserver\nCOPY . /ctx\n`,
          'context/data.txt': 'data\n',
        });
        const image = name('outside');
        succeeded(await build(['-f', 'dockerfiles/App.Dockerfile', '-t', image, 'context'], { cwd: root }), 'berth build');
        assert.deepEqual(await labelsOf(image), {
          'berth.schema': '1',
          'berth.need.address.webserver': '["address","webserver"]',
          'berth.origin.address.webserver': `${image} App.Dockerfile:2`,
        });
        assert.deepEqual(await lsInImage(image, '/ctx'), ['data.txt']);
      });

      if (builder.name === 'buildkit') {
        it('keeps the Dockerfile-specific ignore file FILE.dockerignore working', async () => {
          const root = await folder('dockerignore', {
            'dockerfiles/App.Dockerfile': `FROM ${BASE_IMAGE}\nNEED volume data /data\nCOPY . /ctx\n`,
            'dockerfiles/App.Dockerfile.dockerignore': 'secret.txt\n',
            'context/keep.txt': 'keep\n',
            'context/secret.txt': 'secret\n',
          });
          const image = name('dockerignore');
          succeeded(await build(['-f', join(root, 'dockerfiles/App.Dockerfile'), '-t', image, join(root, 'context')]), 'berth build');
          assert.deepEqual(await lsInImage(image, '/ctx'), ['keep.txt']);
          assert.equal((await labelsOf(image))['berth.need.volume.data'], '["volume","data","/data"]');
        });
      }

      const contextFiles = (dockerfile: string) => ({ Dockerfile: dockerfile, 'data.txt': 'data\n', 'sub/nested.txt': 'nested\n' });
      const copyAll = `FROM ${BASE_IMAGE}\nNEED volume webpages /www\nADDRESS webserver\nCOPY . /ctx\n`;

      it('never writes the plain Dockerfile into the build context', async () => {
        const context = await folder(`context-${builder.name}`, contextFiles(copyAll));
        const before = await snapshot(context);
        const image = name('context');
        succeeded(await build(['-t', image, context]), 'berth build');
        assert.deepEqual(await snapshot(context), before, 'the context folder is unchanged');
        assert.deepEqual(await lsInImage(image, '/ctx'), ['Dockerfile', 'data.txt', 'sub']);
        assert.equal(await fileIn(image, '/ctx/Dockerfile'), copyAll.trimEnd(), 'the user\'s own Dockerfile');
      });

      it('never writes the plain Dockerfile into the build context, even when TMPDIR lies inside it', async () => {
        const context = await folder(`tmp-in-context-${builder.name}`, contextFiles(copyAll));
        const image = name('tmp-in-context');
        succeeded(await build(['-t', image, '.'], { cwd: context, env: { TMPDIR: context } }), 'berth build');
        assert.deepEqual(await lsInImage(image, '/ctx'), ['Dockerfile', 'data.txt', 'sub']);
        assert.deepEqual((await readdir(context)).sort(), ['Dockerfile', 'data.txt', 'sub']);
      });

      it('returns docker\'s exit status when the build fails', async () => {
        const context = await folder(`fails-${builder.name}`, {
          Dockerfile: `FROM ${BASE_IMAGE}\nNEED volume webpages /www\nRUN exit 3\n`,
        });
        const result = await build(['--force-rm', '-t', name('fails'), context]);
        const plain = await berth(['preprocess', '-f', join(context, 'Dockerfile')]);
        succeeded(plain, 'berth preprocess');
        const direct = await docker(['build', '--force-rm', '-f', '-', context], { input: plain.stdout, env: builder.env });
        assert.notEqual(direct.exitCode, 0, 'docker itself fails');
        assert.equal(result.exitCode, direct.exitCode, result.stderr);
        if (builder.name === 'legacy') assert.equal(result.exitCode, 3, 'the legacy builder passes on the RUN\'s status');
        assert.doesNotMatch(result.stderr, STACK_FRAME);
      });

      it('lets docker report errors at the line numbers of the user\'s file', async () => {
        const context = await folder(`lines-${builder.name}`, {
          Dockerfile: `FROM ${BASE_IMAGE}\nNEED volume webpages /www\nADDRESS webserver \\\n  database\nBOGUS instruction\n`,
        });
        const result = await build(['-t', name('lines'), context]);
        assert.notEqual(result.exitCode, 0);
        assert.match(result.stderr, /line 5: unknown instruction: BOGUS/i);
      });
    });
  }
});

describe('berth build refuses bad input before docker runs', () => {
  const FROM = `FROM ${BASE_IMAGE}\n`;
  const cases: ReadonlyArray<{ readonly what: string; readonly dockerfile: string; readonly problem: string; readonly args?: readonly string[] }> = [
    { what: 'an unknown kind', dockerfile: `${FROM}NEED device gpu\n`, problem: ':2:6: error: unknown kind "device"; known kinds: address, volume, network' },
    { what: 'a bad address', dockerfile: `${FROM}ADDRESS 2001:db8::1::2\n`, problem: ':2:9: error: "2001:db8::1::2" is not a valid IPv6 address' },
    { what: 'a relative target', dockerfile: `${FROM}NEED volume webpages var/www\n`, problem: ':2:22: error: target "var/www" is not an absolute path' },
    { what: 'a statement before FROM', dockerfile: `NEED volume early /early\n${FROM}`, problem: ':1:1: error: NEED must come after a FROM' },
    { what: 'ONBUILD ADDRESS', dockerfile: `${FROM}ONBUILD ADDRESS webserver\n`, problem: ':2:9: error: ONBUILD ADDRESS is not allowed' },
    {
      what: 'a continuation that swallows the next instruction',
      dockerfile: `${FROM}NEED network backend \\\n\nRUN echo swallowed\n`,
      problem: ':2:1: error: NEED on line 2 continues over blank line 3 into the RUN on line 4',
    },
    { what: 'a --target the file does not have', dockerfile: `${FROM}ADDRESS webserver\n`, args: ['--target', 'nope'], problem: ':1:1: error: target stage "nope" not found' },
  ];

  async function refused(result: BerthResult, calls: () => Promise<string[][]>): Promise<void> {
    assert.equal(result.exitCode, 1, result.stderr);
    assert.doesNotMatch(result.stderr, STACK_FRAME);
    assert.doesNotMatch(result.stderr, /internal error/);
    assert.match(result.stderr, /^berth: /m);
    assert.deepEqual(await calls(), [], 'berth did not call docker');
  }

  it('does call the fake docker for good input, and returns its status', async () => {
    const fake = await fakeDocker(37);
    try {
      const context = await folder('fake-good', { Dockerfile: `${FROM}NEED volume webpages /www\n` });
      const result = await berth(['build', '-t', 'fake-good', context], { env: fake.env });
      assert.equal(result.exitCode, 37, result.stderr);
      // Besides the build, berth only asks about the base image (its inherited needs): the fake
      // knows no image, so berth asks whether the engine answers at all, then pulls as docker would.
      const calls = await fake.calls();
      const builds = calls.filter((c) => c[0] === 'build');
      assert.equal(builds.length, 1);
      assert.deepEqual(calls.filter((c) => c[0] !== 'build').map((c) => c.slice(0, 2)), [['image', 'inspect'], ['version', '--format'], ['pull', '--quiet']]);
      const call = builds[0] ?? [];
      assert.equal(call[0], 'build');
      assert.equal(call.at(-1), context);
      assert.ok(call.includes('berth.schema=1') && call.includes('berth.need.volume.webpages=["volume","webpages","/www"]'), call.join(' '));
      const file = call[call.indexOf('-f') + 1] ?? '';
      assert.ok(relative(context, file).startsWith('..'), `the plain Dockerfile ${file} lies outside the context`);
    } finally {
      await fake.remove();
    }
  });

  for (const { what, dockerfile, problem, args = [] } of cases) {
    it(`refuses ${what} with a positioned error`, async () => {
      const fake = await fakeDocker();
      try {
        const context = await folder(`bad-${what.replaceAll(' ', '-')}`, { Dockerfile: dockerfile });
        const result = await berth(['build', '-t', 'never-built', ...args, context], { env: fake.env });
        await refused(result, fake.calls);
        const file = join(context, 'Dockerfile');
        assert.ok(result.stderr.split('\n').some((line) => line.startsWith(`${file}${problem}`)), `stderr lacks ${file}${problem}:\n${result.stderr}`);
      } finally {
        await fake.remove();
      }
    });
  }

  it('reports every problem of a file at once, sorted by position', async () => {
    const fake = await fakeDocker();
    try {
      const result = await berth(['build', '-t', 'never-built', 'fixtures/dockerfiles/errors'], { env: fake.env, cwd: REPO_ROOT });
      await refused(result, fake.calls);
      const problems = result.stderr.split('\n').filter((line) => / (error|warning): /.test(line));
      assert.deepEqual(problems, await expectedProblems('errors', 'fixtures/dockerfiles/errors/Dockerfile'));
    } finally {
      await fake.remove();
    }
  });

  it('refuses a bad Dockerfile on stdin, naming it', async () => {
    const fake = await fakeDocker();
    try {
      const context = await folder('bad-stdin');
      const result = await berth(['build', '-f', '-', '-t', 'never-built', context], { env: fake.env, input: `${FROM}NEED device gpu\n` });
      await refused(result, fake.calls);
      assert.match(result.stderr, /^<stdin>:2:6: error: unknown kind "device"/m);
    } finally {
      await fake.remove();
    }
  });

  const files: ReadonlyArray<{ readonly what: string; readonly args: (dir: string) => string[]; readonly message: RegExp }> = [
    {
      what: 'an unreadable Dockerfile',
      args: (dir) => ['-f', dir, dir],
      message: /^berth: cannot read Dockerfile .+: it is a directory \(pass the right file with -f FILE\)$/m,
    },
    {
      what: 'a missing Dockerfile',
      args: (dir) => [dir],
      message: /^berth: cannot read Dockerfile .+\/Dockerfile: no such file \(pass the right file with -f FILE\)$/m,
    },
    {
      what: 'a missing context',
      args: (dir) => [join(dir, 'not-there')],
      message: /^berth: cannot use build context .+\/not-there: no such file \(give the folder to build as PATH\)$/m,
    },
    {
      what: 'a berth label given with --label',
      args: (dir) => ['--label', 'berth.x=y', '-f', join(REPO_ROOT, 'fixtures/dockerfiles/basic/Dockerfile'), dir],
      message: /^berth: --label berth\.x=y: labels starting with "berth\." are berth's own; declare needs with ADDRESS\/NEED in the Dockerfile$/m,
    },
  ];
  for (const { what, args, message } of files) {
    it(`refuses ${what}, saying what to do`, async () => {
      const fake = await fakeDocker();
      try {
        const dir = await folder(`bad-${what.replaceAll(' ', '-')}`);
        const result = await berth(['build', '-t', 'never-built', ...args(dir)], { env: fake.env });
        await refused(result, fake.calls);
        assert.match(result.stderr, message);
      } finally {
        await fake.remove();
      }
    });
  }
});
