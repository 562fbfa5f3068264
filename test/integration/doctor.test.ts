// `berth doctor` as built, against the real engine and real interfaces: a healthy host set-up passes
// every check; a broken one fails exactly the checks that are broken, each with its fix.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { Cleanup, dockerOk, engineSkip, leftovers, testPrefix, type CliResult } from '../helpers/engine.js';
import { docSubnet6, NetLab, netnsSkip, type VethPair } from '../helpers/netns.js';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.cjs', import.meta.url));

async function berth(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  const result = await execa('node', [BIN, ...args], { reject: false, stdin: 'ignore', env, timeout: 120_000 });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

/** The check lines (symbol first), without fixes, further lines or the summary. */
function checkLines(stdout: string): string[] {
  const lines = stdout.split('\n');
  return lines.slice(0, lines.indexOf('')).filter((line) => /^[✓✗-] /.test(line));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A check line `SYMBOL TITLE   DETAIL...` and, when `fix` is given, its fix on one of the following lines. */
function assertCheck(stdout: string, symbol: '✓' | '✗' | '-', title: string, detail: RegExp, fix?: RegExp): void {
  const lines = stdout.split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${symbol} ${title} `));
  assert.ok(at >= 0, `no "${symbol} ${title}" line in:\n${stdout}`);
  assert.match(lines[at] ?? '', detail);
  if (fix === undefined) return;
  const following = lines.slice(at + 1, lines.findIndex((line, i) => i > at && !line.startsWith(' ')));
  const fixLine = following.find((line) => line.trimStart().startsWith('fix: '));
  assert.ok(fixLine, `no fix under "${title}" in:\n${stdout}`);
  assert.match(fixLine, fix);
}

describe('berth doctor', { skip: (await engineSkip()) || (await netnsSkip()) }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const lab = new NetLab();
  let dir = '';
  let healthyFile = '';
  let brokenFile = '';
  let invalidFile = '';
  let good: VethPair | undefined;
  let off: VethPair | undefined;
  const subnet = docSubnet6();
  const fresh = docSubnet6();
  const existing = docSubnet6();
  const declared = docSubnet6();
  const taken = docSubnet6();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-doctor-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'www'));
    const provider = join(dir, 'provider');
    await writeFile(provider, '#!/bin/sh\nexit 0\n');
    await chmod(provider, 0o755);
    const lazy = join(dir, 'lazy-provider');
    await writeFile(lazy, '#!/bin/sh\nexit 0\n');
    await chmod(lazy, 0o644);

    const ns = await lab.namespace();
    good = await lab.veth(ns);
    off = await lab.veth(ns);
    await lab.sysctl(`net.ipv6.conf.${good.host}.proxy_ndp`, '1');
    await lab.sysctl(`net.ipv6.conf.${off.host}.proxy_ndp`, '0');
    await lab.sysctl('net.ipv6.conf.all.forwarding', '1');

    await dockerOk(['network', 'create', '--ipv6', '--subnet', subnet, cleanup.network(`${prefix}-net`)]);
    await dockerOk(['network', 'create', '--ipv6', '--subnet', existing, cleanup.network(`${prefix}-other`)]);
    await dockerOk(['network', 'create', '--ipv6', '--subnet', taken, cleanup.network(`${prefix}-taken`)]);
    await dockerOk(['volume', 'create', cleanup.volume(`${prefix}-vol`)]);

    healthyFile = join(dir, 'healthy.yaml');
    await writeFile(healthyFile, `
networks:
  ${prefix}-net:
    subnet6: ${subnet}
    ndp-proxy: ${good.host}
  ${prefix}-new:
    subnet6: ${fresh}
volumes:
  www:
    source: ${join(dir, 'www')}
  data:
    volume: ${prefix}-vol
  later:
    volume: ${prefix}-later
    provider: [${provider}, --flag]
providers:
  volume: [${provider}]
`);
    brokenFile = join(dir, 'broken.yaml');
    await writeFile(brokenFile, `
networks:
  ${prefix}-other:
    subnet6: ${declared}
  ${prefix}-clash:
    subnet6: ${taken}
  ${prefix}-proxied:
    subnet6: ${fresh}
    ndp-proxy: ${off.host}
volumes:
  gone:
    source: ${join(dir, 'nowhere')}
  lost:
    volume: ${prefix}-lost
  lazy:
    volume: ${prefix}-lazy
    provider: [${lazy}]
`);
    invalidFile = join(dir, 'invalid.yaml');
    await writeFile(invalidFile, 'networks:\n  n:\n    subnet6: 2001:db8::1/64\n    colour: blue\n');
  });

  after(async () => {
    await lab.cleanup();
    await cleanup.run();
  });

  it('a healthy set-up: every check ✓, exit 0', async () => {
    const result = await berth(['doctor', '--host-config', healthyFile]);
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const lines = checkLines(result.stdout);
    assert.equal(lines.length, 16, result.stdout);
    assert.deepEqual(lines.filter((line) => !line.startsWith('✓ ')), []);
    assertCheck(result.stdout, '✓', 'engine', /docker \d+\.\d+/);
    assertCheck(result.stdout, '✓', 'host file', new RegExp(`${escape(healthyFile)}: 2 networks, 0 addresses, 3 volumes`));
    assertCheck(result.stdout, '✓', `network ${prefix}-net`, new RegExp(`exists with (.*, )?${escape(subnet)}`));
    assertCheck(result.stdout, '✓', `network ${prefix}-new`, /absent; will be created by berth run/);
    assertCheck(result.stdout, '✓', 'IPv6 forwarding', /on/);
    assertCheck(result.stdout, '✓', `ndp-proxy ${good?.host}`, /proxy_ndp is on/);
    assertCheck(result.stdout, '✓', 'ip6tables', /ip6tables$/);
    assertCheck(result.stdout, '✓', 'volume www', /is a directory/);
    assertCheck(result.stdout, '✓', 'volume data', new RegExp(`docker volume ${prefix}-vol exists`));
    assertCheck(result.stdout, '✓', 'volume later', /its provider will make it/);
    assertCheck(result.stdout, '✓', 'provider of volume later', /is executable/);
    assertCheck(result.stdout, '✓', 'providers.volume', /is executable/);
    assertCheck(result.stdout, '✓', 'berth containers', /0 from this host file, 0 running/);
    assertCheck(result.stdout, '✓', 'proxy entries', /none is stale/);
    assertCheck(result.stdout, '✓', 'container resources', /are there/);
    assertCheck(result.stdout, '✓', 'drift', /hold what the host file says/);
    assert.match(result.stdout, /\n\n✓ 16 of 16 checks passed$/);
    assert.equal(result.stderr, '');
  });

  it('finds the host file through $BERTH_HOST_CONFIG', async () => {
    const result = await berth(['doctor'], { BERTH_HOST_CONFIG: healthyFile });
    assert.equal(result.exitCode, 0, result.stdout);
    assertCheck(result.stdout, '✓', 'host file', new RegExp(escape(healthyFile)));
  });

  it('a broken set-up: each broken thing ✗ with its fix, the rest ✓, exit 1', async () => {
    const result = await berth(['doctor', '--host-config', brokenFile]);
    assert.equal(result.exitCode, 1, result.stdout + result.stderr);
    assertCheck(result.stdout, '✓', 'engine', /docker/);
    assertCheck(result.stdout, '✓', 'host file', /3 networks/);
    assertCheck(
      result.stdout, '✗', `network ${prefix}-other`,
      new RegExp(`exists with (.*, )?${escape(existing)}, but ${escape(brokenFile)} says ${escape(declared)}$`),
      new RegExp(`correct its entry \\(${escape(brokenFile)}:3:3\\).*docker network rm ${prefix}-other`),
    );
    assertCheck(
      result.stdout, '✗', `network ${prefix}-clash`,
      new RegExp(`cannot create it: ${escape(taken)} overlaps ${escape(taken)} of network ${prefix}-taken`),
      new RegExp(`give it subnets no engine network uses .*docker network rm ${prefix}-taken\\)$`),
    );
    assertCheck(result.stdout, '✓', `network ${prefix}-proxied`, /will be created by berth run/);
    assertCheck(
      result.stdout, '✗', `ndp-proxy ${off?.host}`, /proxy_ndp is off/,
      new RegExp(`fix: sysctl -w net\\.ipv6\\.conf\\.${off?.host}\\.proxy_ndp=1`),
    );
    assertCheck(
      result.stdout, '✗', 'volume gone', /does not exist/,
      new RegExp(`fix: mkdir -p ${escape(join(dir, 'nowhere'))}, or give the volume a provider`),
    );
    assertCheck(
      result.stdout, '✗', 'volume lost', new RegExp(`docker volume ${prefix}-lost does not exist`),
      new RegExp(`fix: docker volume create ${prefix}-lost`),
    );
    assertCheck(result.stdout, '✓', 'volume lazy', /its provider will make it/);
    assertCheck(
      result.stdout, '✗', 'provider of volume lazy', /is not executable/,
      new RegExp(`fix: chmod \\+x ${escape(join(dir, 'lazy-provider'))}$`),
    );
    assert.match(result.stdout, /\n\n✗ 6 of \d+ checks failed$/);
  });

  it('a host file with errors: each as FILE:LINE:COL, the host checks skipped, exit 1', async () => {
    const result = await berth(['doctor', '--host-config', invalidFile]);
    assert.equal(result.exitCode, 1, result.stdout + result.stderr);
    assertCheck(result.stdout, '✗', 'host file', /is invalid: 2 errors/, /berth check --host-config/);
    assert.match(result.stdout, new RegExp(`^ +${escape(invalidFile)}:3:14: error: .*host bits`, 'm'));
    assert.match(result.stdout, new RegExp(`^ +${escape(invalidFile)}:4:5: error: unknown key "colour"`, 'm'));
    for (const title of ['networks', 'ndp-proxy', 'volumes', 'providers']) {
      assertCheck(result.stdout, '-', title, /skipped: the host file is invalid/);
    }
  });

  it('an unreadable host file: says so and skips the host checks, exit 1', async () => {
    const missing = join(dir, 'missing.yaml');
    const result = await berth(['doctor', '--host-config', missing]);
    assert.equal(result.exitCode, 1, result.stdout + result.stderr);
    assertCheck(result.stdout, '✗', 'host file', new RegExp(`cannot read ${escape(missing)}: no such file`), /create it/);
    assertCheck(result.stdout, '-', 'networks', /skipped: the host file is unreadable/);
    assert.doesNotMatch(result.stdout, /^✓ (networks|volumes|providers|ndp-proxy)/m);
  });

  it('an unreachable engine: ✗ with the fix, engine checks skipped, exit 1', async () => {
    const result = await berth(['doctor', '--host-config', healthyFile], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    assert.equal(result.exitCode, 1, result.stdout + result.stderr);
    assertCheck(result.stdout, '✗', 'engine', /cannot reach the docker engine: .*nonexistent\.sock/, /DOCKER_HOST/);
    assertCheck(result.stdout, '-', `network ${prefix}-net`, /skipped: the engine is not reachable/);
    assertCheck(result.stdout, '-', 'volume data', /skipped: the engine is not reachable/);
    // Checks that do not need the engine still run.
    assertCheck(result.stdout, '✓', 'volume www', /is a directory/);
    assertCheck(result.stdout, '✓', `ndp-proxy ${good?.host}`, /proxy_ndp is on/);
    assertCheck(result.stdout, '-', 'proxy entries', /skipped: the engine is not reachable/);
    assert.match(result.stdout, /\n\n✗ 1 of 16 checks failed, 8 skipped$/);
  });

  it('leaves nothing behind', async () => {
    await lab.cleanup();
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix), []);
    assert.deepEqual(await lab.leftovers(), []);
  });
});
