import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  describeProviderFailure,
  parseProviderJson,
  PROVIDER_PATH,
  PROVIDER_TAIL_LINES,
  runProvider,
  type ProviderOutcome,
  type ProviderRun,
} from '../../src/edge/provider.js';

const PROVIDERS = fileURLToPath(new URL('../../fixtures/providers/', import.meta.url));
const HOST_CONFIG = '/etc/berth/test-host.yaml';

function fixture(name: string): string {
  return join(PROVIDERS, name);
}

function run(argv: readonly string[], more: Partial<ProviderRun> = {}): Promise<ProviderOutcome> {
  return runProvider({ argv, kind: 'volume', name: 'cache', hostConfigPath: HOST_CONFIG, timeoutSeconds: 20, ...more });
}

function failed(outcome: ProviderOutcome): Extract<ProviderOutcome, { ok: false }> {
  assert.equal(outcome.ok, false, 'the provider should have failed');
  if (outcome.ok) throw new Error('unreachable');
  return outcome;
}

/** Gone, or a zombie nobody reaped yet (PID 1 of a container may not reap). */
async function processGone(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat === '' || /^\d+ \(.*\) Z /.test(stat);
}

describe('runProvider', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-provider-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the argv with KIND NAME appended and succeeds on exit 0', async () => {
    const outcome = await run([fixture('make-dir'), dir], { name: 'webpages' });
    assert.deepEqual(outcome, { ok: true, stdout: '' });
    assert.ok((await stat(join(dir, 'webpages'))).isDirectory());
  });

  it('passes arguments without a shell', async () => {
    const base = join(dir, 'a dir; touch $(echo pwned)');
    const outcome = await run([fixture('make-dir'), base], { name: 'x' });
    assert.equal(outcome.ok, true);
    assert.ok((await stat(join(base, 'x'))).isDirectory());
    await assert.rejects(stat(join(dir, 'pwned')));
    await assert.rejects(stat('/pwned'));
  });

  it('returns what a fallback provider prints', async () => {
    const outcome = await run([fixture('print-source'), '/mnt/nfs'], { name: 'webpages' });
    assert.equal(outcome.ok, true);
    if (!outcome.ok) return;
    assert.deepEqual(parseProviderJson(outcome.stdout), { ok: true, value: { source: '/mnt/nfs/webpages' } });
  });

  it('gives the provider exactly PATH, BERTH_KIND, BERTH_NAME and BERTH_HOST_CONFIG', async () => {
    process.env['SECRET'] = 'x';
    process.env['BERTH_ENGINE'] = 'podman';
    try {
      const outcome = await run([fixture('env-dump')], { kind: 'address', name: 'webserver' });
      assert.equal(outcome.ok, true);
      if (!outcome.ok) return;
      assert.deepEqual(JSON.parse(outcome.stdout), {
        PATH: PROVIDER_PATH,
        BERTH_KIND: 'address',
        BERTH_NAME: 'webserver',
        BERTH_HOST_CONFIG: HOST_CONFIG,
      });
    } finally {
      delete process.env['SECRET'];
      delete process.env['BERTH_ENGINE'];
    }
  });

  it('reports a non-zero exit with its argv, status and the last lines of stderr', async () => {
    const outcome = failed(await run([fixture('fail')], { name: 'cache' }));
    assert.equal(outcome.exitCode, 3);
    assert.equal(outcome.timedOut, false);
    assert.deepEqual(outcome.argv, [fixture('fail'), 'volume', 'cache']);
    const lines = outcome.stderrTail.split('\n');
    assert.equal(lines.length, PROVIDER_TAIL_LINES);
    assert.equal(lines.at(-1), 'fail: cannot provide volume cache: server refused');
    assert.ok(!outcome.stderrTail.includes('detail line 1\n'));
    const message = describeProviderFailure(outcome);
    assert.match(message, new RegExp(`^provider ${fixture('fail')} volume cache exited with status 3`));
    assert.match(message, /\n {2}fail: cannot provide volume cache: server refused$/);
  });

  it('kills the whole process tree on timeout and does not wait for it', async () => {
    const pidFile = join(dir, 'hang.pid');
    const started = Date.now();
    const outcome = failed(await run([fixture('hang'), pidFile], { timeoutSeconds: 1 }));
    const elapsed = Date.now() - started;
    assert.equal(outcome.timedOut, true);
    assert.equal(outcome.reason, 'timed out after 1s');
    assert.ok(elapsed < 8_000, `took ${elapsed} ms`);
    const child = Number((await readFile(pidFile, 'utf8')).trim());
    assert.ok(child > 0);
    assert.equal(await processGone(child), true, `the provider's child sleep (pid ${child}) is still running`);
    assert.match(describeProviderFailure(outcome), /hang .* volume cache timed out after 1s; its stderr ended with:\n {2}hang: child \d+/);
  });

  it('refuses a provider that prints more than the cap on stdout', async () => {
    const outcome = failed(await run([fixture('flood')]));
    assert.match(outcome.reason, /printed more than 64 KiB on stdout/);
  });

  it('keeps only the last lines of a flood on stderr', async () => {
    const outcome = failed(await run([fixture('flood'), 'stderr']));
    assert.equal(outcome.exitCode, 1);
    const lines = outcome.stderrTail.split('\n');
    assert.equal(lines.length, PROVIDER_TAIL_LINES);
    assert.equal(lines.at(-1), 'flood: line 20000');
  });

  it('escapes terminal controls, C1 and bidi characters in the stderr it quotes', async () => {
    const script = join(dir, 'noisy');
    await writeFile(script, "#!/bin/sh\nprintf 'a\\033[2Jb\\302\\233c\\342\\200\\256d\\000e\\r\\nberth: all needs met\\n' >&2\nexit 2\n", { mode: 0o755 });
    const outcome = failed(await run([script]));
    assert.equal(outcome.stderrTail, 'a\\u001b[2Jb\\u009bc\\u202ed\\u0000e\nberth: all needs met');
    // Its lines are quoted indented under berth's own, so none can pass for a berth line.
    assert.match(describeProviderFailure(outcome), /its stderr ended with:\n {2}a\\u001b\[2Jb\\u009bc\\u202ed\\u0000e\n {2}berth: all needs met$/);
  });

  it('says when the provider cannot be started', async () => {
    const outcome = failed(await run([join(dir, 'no-such-provider')]));
    assert.match(outcome.reason, /could not be started \(no such file\)/);
    assert.equal(outcome.exitCode, undefined);
    assert.match(describeProviderFailure(outcome), /\(it wrote nothing to stderr\)$/);
  });

  it('does not run a provider for an invalid name, kind or timeout', async () => {
    const marker = join(dir, 'ran');
    for (const more of [{ name: '../etc' }, { name: '-rf' }, { kind: 'Volume;' }, { timeoutSeconds: 0 }]) {
      const outcome = failed(await run([fixture('make-dir'), marker], more));
      assert.match(outcome.reason, /was not run/);
    }
    failed(await run([]));
    await assert.rejects(stat(marker));
  });
});

describe('parseProviderJson', () => {
  const refused: ReadonlyArray<readonly [string, RegExp]> = [
    ['', /printed nothing/],
    ['  \n', /printed nothing/],
    ['source: /srv/not-json {', /other than one JSON object/],
    ['{"source": "/a"}\n{"source": "/b"}', /other than one JSON object/],
    ['[{"source": "/a"}]', /not an object/],
    ['null', /not an object/],
    ['"/srv"', /not an object/],
    [`{"source": "${'x'.repeat(70_000)}"}`, /more than 64 KiB/],
  ];
  for (const [stdout, reason] of refused) {
    it(`refuses ${JSON.stringify(stdout.slice(0, 30))}`, () => {
      const parsed = parseProviderJson(stdout);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.reason, reason);
    });
  }

  it('accepts one object, surrounded by whitespace', () => {
    assert.deepEqual(parseProviderJson('\n {"network": "public6", "ipv6": "2001:db8::20"}\n'), {
      ok: true,
      value: { network: 'public6', ipv6: '2001:db8::20' },
    });
  });

  it('refuses what the garbage provider prints', async () => {
    const outcome = await runProvider({
      argv: [fixture('garbage')], kind: 'volume', name: 'cache', hostConfigPath: HOST_CONFIG, timeoutSeconds: 20,
    });
    assert.equal(outcome.ok, true);
    if (!outcome.ok) return;
    const parsed = parseProviderJson(outcome.stdout);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.reason, /^printed something other than one JSON object: source: \/srv\/not-json \{$/);
  });
});
