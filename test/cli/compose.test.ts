import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertRefused, fakeEngineCli, runMain, type FakeEngineCli } from '../helpers/cli.js';

// A docker CLI with the compose plugin, which logs every call (one per line) and prints a project
// of one service without needs for `compose ... config`; an image without labels for inspect.
const PLUGIN = (log: string, configStatus = 0) => `
echo "$*" >> ${log}
[ "$1 $2" = "compose version" ] && exit 0
if [ "$1" = compose ]; then
  for last; do :; done
  case "$last" in
    config) [ ${configStatus} = 0 ] || { echo "yaml: line 2: did not find expected key" >&2; exit ${configStatus}; }
            printf 'services:\\n  web:\\n    image: example/plain:1\\n'; exit 0 ;;
  esac
  for arg; do case "$arg" in */berth.override.yaml) cat "$arg" >> ${log}.override ;; esac; done
  exit 3
fi
[ "$1 $2" = "image inspect" ] && { echo '[{"Id":"sha256:01","RepoTags":["example/plain:1"],"RepoDigests":[],"Config":{"Labels":null}}]'; exit 0; }
[ "$1" = ps ] && exit 0
exit 1`;

describe('berth compose', () => {
  let dir = '';
  let log = '';
  let fake: FakeEngineCli;
  before(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-compose-cli-')));
    log = join(dir, 'calls');
    fake = await fakeEngineCli(PLUGIN(log));
    await writeFile(join(dir, 'compose.yaml'), 'services: {web: {image: example/plain:1}}\n');
    await writeFile(join(dir, 'compose.override.yml'), 'services: {web: {environment: [A=1]}}\n');
  });
  after(async () => {
    await fake.remove();
    await rm(dir, { recursive: true, force: true });
  });
  const calls = async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');

  it('passes other commands through unchanged, with compose\'s exit status', async () => {
    await rm(log, { force: true });
    const result = await runMain(['compose', '-p', 'proj', '--verbose', 'logs', '-f', 'web'], fake.env);
    assert.equal(result.exitCode, 3);
    assert.deepEqual(await calls(), ['compose version', 'compose -p proj --verbose logs -f web']);
  });

  it('up: names the files compose would find, adds the override after them, and removes it afterwards', async () => {
    await rm(log, { force: true });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const result = await runMain(['compose', 'up', '-d'], fake.env);
      assert.equal(result.exitCode, 3, result.stderr);
    } finally {
      process.chdir(cwd);
    }
    const made = await calls();
    const files = `-f ${join(dir, 'compose.yaml')} -f ${join(dir, 'compose.override.yml')}`;
    assert.equal(made[1], `compose ${files} config`);
    const up = made.find((line) => line.endsWith(' up -d')) ?? '';
    const override = / -f (\S+\/berth\.override\.yaml) up -d$/.exec(up)?.[1];
    assert.ok(up.startsWith(`compose ${files} -f `) && override, up);
    assert.equal(existsSync(override), false, 'the override file was left behind');
    assert.equal(await readFile(`${log}.override`, 'utf8'), '# Written by berth compose: what each service\'s needs resolved to on this host.\nservices:\n  web: {}\n');
  });

  it("a project compose refuses: compose's message and exit status, unchanged", async () => {
    const broken = await fakeEngineCli(PLUGIN(join(dir, 'broken-calls'), 15));
    try {
      const result = await runMain(['compose', '-f', join(dir, 'compose.yaml'), 'up'], broken.env);
      assert.equal(result.exitCode, 15);
      assert.equal(result.stderr, 'yaml: line 2: did not find expected key\n');
    } finally {
      await broken.remove();
    }
  });

  it('-f - for a command that reads the project: exit 125, nothing run but the plugin check', async () => {
    await rm(log, { force: true });
    const result = await runMain(['compose', '-f', '-', 'up'], fake.env);
    assertRefused(result, 125, /^berth: berth compose up reads the project twice \(compose config, then compose up\), so it cannot take it from stdin \(-f -\): write it to a file\n$/);
    assert.deepEqual(await calls(), ['compose version']);
  });

  it('neither the plugin nor docker-compose: exit 1, saying to install one', async () => {
    const bare = await fakeEngineCli('exit 1');
    try {
      const result = await runMain(['compose', 'ps'], { ...bare.env, PATH: bare.env['PATH']?.split(':')[0] ?? '' });
      assertRefused(result, 1, /^berth: cannot run docker-compose: the docker CLI has no compose plugin and docker-compose is not on PATH; install one of them\n$/);
    } finally {
      await bare.remove();
    }
  });
});
