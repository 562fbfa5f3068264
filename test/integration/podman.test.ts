// berth build and berth run on podman (--engine podman, BERTH_ENGINE=podman), end to end: the
// image's needs become labels podman keeps, a host file turns them into a network, addresses and
// a read-only mount, and the container serves the host directory's page over IPv6 and IPv4.
// Refusals exit 125 and leave nothing behind; podman run's own failures keep podman's statuses.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { berth, STACK_FRAME, type BerthResult } from '../helpers/berth.js';
import {
  Cleanup, engineEnv, engineSkip, ensureBaseImage, leftovers, podman, testPrefix,
} from '../helpers/engine.js';
import { fetchPage } from '../helpers/http.js';
import { freeSite, type Site } from '../helpers/subnets.js';

const EXIT_CANNOT_START = 125;
const PODMAN = engineEnv('podman');

describe('berth on podman', { skip: await engineSkip('podman') }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ engine: 'podman', prefix });
  const web = `${prefix}-web:1`;
  const multi = `${prefix}-multi:1`;
  const imageIds: string[] = [];
  // podman only untags an image another one is built FROM, leaving it dangling: remove the child first.
  for (const image of [web, multi]) cleanup.defer(() => removeImage(image));
  let dir = '';
  let count = 0;
  const unique = (what: string) => `${prefix}-${what}${count++}`;

  before(async () => {
    await ensureBaseImage('podman');
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-podman-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  });
  after(() => cleanup.run());

  /** `berth ARGS` with podman's test settings; `--engine podman` unless `viaEnv` says BERTH_ENGINE. */
  function run(args: readonly string[], options: { readonly viaEnv?: boolean } = {}): Promise<BerthResult> {
    const [command = '', ...rest] = args;
    if (options.viaEnv) return berth(args, { env: { ...PODMAN, BERTH_ENGINE: 'podman' } });
    return berth([command, '--engine', 'podman', ...rest], { env: PODMAN });
  }

  /** A fresh network for a host file, with an IPv4 subnet too when asked. */
  const site = (options: { readonly ipv4?: boolean } = {}): Promise<Site> =>
    freeSite(unique('net'), options.ipv4 ? { engine: 'podman', hostRoutes: true } : undefined);

  function networkEntry(where: Site): Record<string, string> {
    return { subnet6: where.subnet6, ...(where.subnet4 ? { subnet4: where.subnet4 } : {}) };
  }

  function addressEntry(where: Site, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { network: where.network, ipv6: where.ipv6, ...(where.ipv4 ? { ipv4: where.ipv4 } : {}), ...extra };
  }

  async function hostFile(config: Record<string, unknown>): Promise<string> {
    const path = join(dir, `${unique('host')}.yaml`);
    await writeFile(path, stringify(config));
    return path;
  }

  /** A host file with `webserver` on `where` and `webpages` from `pages`. */
  function webHost(where: Site, pages: string, address: Record<string, unknown> = {}): Promise<string> {
    return hostFile({
      networks: { [where.network]: networkEntry(where) },
      addresses: { webserver: addressEntry(where, address) },
      volumes: { webpages: { source: pages } },
    });
  }

  async function pages(text: string): Promise<string> {
    const path = join(dir, unique('pages'));
    await mkdir(path, { recursive: true });
    await writeFile(join(path, 'index.html'), text);
    return path;
  }

  /** A build context holding only `dockerfile` as its Dockerfile. */
  async function context(dockerfile: string): Promise<string> {
    const path = join(dir, unique('context'));
    await mkdir(path, { recursive: true });
    await writeFile(join(path, 'Dockerfile'), dockerfile);
    return path;
  }

  async function build(tag: string, path: string): Promise<BerthResult> {
    const result = await run(['build', '-q', '-t', tag, path]);
    const id = await podman(['image', 'inspect', '--format', '{{.Id}}', tag]);
    if (id.exitCode === 0) imageIds.push(id.stdout.trim());
    return result;
  }

  async function labels(image: string): Promise<Record<string, string>> {
    const inspected = await podman(['image', 'inspect', '--format', '{{json .Config.Labels}}', image]);
    assert.equal(inspected.exitCode, 0, inspected.stderr);
    return JSON.parse(inspected.stdout) as Record<string, string>;
  }

  it('builds with podman build and writes the needs as labels podman keeps', async () => {
    const source = await context([
      'FROM berth-test/busybox:1',
      'ADDRESS webserver',
      'NEED volume webpages /www ro',
      'CMD ["httpd", "-f", "-h", "/www"]',
      '',
    ].join('\n'));
    const built = await build(web, source);
    assert.equal(built.exitCode, 0, built.stderr);

    const expected = await berth(['preprocess', '--labels', '-f', join(source, 'Dockerfile')]);
    assert.equal(expected.exitCode, 0, expected.stderr);
    const wanted = Object.entries(JSON.parse(expected.stdout) as Record<string, string>)
      .filter(([key]) => !key.startsWith('berth.origin.'));
    const found = await labels(web);
    for (const [key, value] of wanted) assert.equal(found[key], value, `label ${key}`);
    assert.ok(wanted.some(([key]) => key.startsWith('berth.need.volume.')), expected.stdout);
    assert.match(found['berth.origin.address.webserver'] ?? '', /Dockerfile:2$/);
  });

  it('berth inspect --engine podman lists the needs', async () => {
    const listed = await run(['inspect', '--json', web]);
    assert.equal(listed.exitCode, 0, listed.stderr);
    const needs = (JSON.parse(listed.stdout) as { needs: { kind: string; name: string; target?: string; mode?: string }[] }).needs;
    assert.deepEqual(needs.map((n) => [n.kind, n.name, n.target, n.mode]), [
      ['address', 'webserver', undefined, undefined],
      ['volume', 'webpages', '/www', 'ro'],
    ]);
    const table = await run(['inspect', web], { viaEnv: true });
    assert.equal(table.exitCode, 0, table.stderr);
    assert.match(table.stdout, /^address\s+webserver\s/m);
    assert.match(table.stdout, /^volume\s+webpages\s+at \/www \(ro\)/m);
  });

  it('runs it with a host file: the page from the host directory over IPv6 and IPv4, mounted read-only', async () => {
    const where = await site({ ipv4: true });
    const text = `served by podman for ${prefix}\n`;
    const host = await webHost(where, await pages(text));
    const container = cleanup.container(unique('web'));
    const cidfile = join(dir, unique('cid'));

    const started = await run(['run', '--host-config', host, '-d', '--name', container, '--cidfile', cidfile, web]);
    assert.equal(started.exitCode, 0, started.stderr);
    const id = started.stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal((await readFile(cidfile, 'utf8')).trim(), id);

    assert.equal(await fetchPage(`http://[${where.ipv6}]/`), text);
    assert.equal(await fetchPage(`http://${where.ipv4 ?? ''}/`), text);
    const written = await podman(['exec', container, 'touch', '/www/written']);
    assert.notEqual(written.exitCode, 0, 'the volume is mounted read-only');
    assert.match(written.stderr, /read-only/i);
  });

  it('runs again on the network it created, although podman gave that network an IPv4 subnet of its own', async () => {
    const where = await site();
    const text = `twice on ${where.network}\n`;
    const host = await webHost(where, await pages(text));
    const first = cleanup.container(unique('first'));
    assert.equal((await run(['run', '--host-config', host, '-d', '--name', first, web])).exitCode, 0);
    const subnets = await podman(['network', 'inspect', '--format', '{{range .Subnets}}{{.Subnet}} {{end}}', where.network]);
    assert.equal(subnets.exitCode, 0, subnets.stderr);
    assert.match(subnets.stdout, /\d+\.\d+\.\d+\.\d+\/\d+/, 'podman adds an IPv4 subnet to an --ipv6 network');
    assert.equal(await fetchPage(`http://[${where.ipv6}]/`), text);

    // While the first container holds the address, berth names it and starts nothing.
    const refused = await run(['run', '--host-config', host, '--rm', web, 'true']);
    assert.equal(refused.exitCode, EXIT_CANNOT_START, refused.stderr);
    assert.match(refused.stderr, new RegExp(`${where.ipv6} on network ${where.network} is held by container ${first}`));
    assert.match(refused.stderr, new RegExp(`berth run --replace ${first} \\.\\.\\., or remove it with berth rm ${first}`));

    assert.equal((await podman(['rm', '-f', '--time', '0', first])).exitCode, 0);
    const second = cleanup.container(unique('second'));
    const again = await run(['run', '--host-config', host, '-d', '--name', second, web]);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(await fetchPage(`http://[${where.ipv6}]/`), text);
  });

  it('honours BERTH_ENGINE=podman, passes on the command\'s exit status, and exits 125 when the container cannot start', async () => {
    const where = await site();
    const text = `through BERTH_ENGINE for ${prefix}\n`;
    const host = await webHost(where, await pages(text));
    const shown = await run(['run', '--host-config', host, '--rm', web, 'cat', '/www/index.html'], { viaEnv: true });
    assert.equal(shown.exitCode, 0, shown.stderr);
    assert.equal(shown.stdout, text);

    const statuses: [readonly string[], number][] = [
      [['sh', '-c', 'exit 7'], 7],
      [['sh', '-c', 'exit 127'], 127],
      // The container never runs: berth removes what it made and says so, as for any failed start.
      [['no-such-command'], 125],
      [['/www/index.html'], 125],
    ];
    for (const [command, status] of statuses) {
      const result = await run(['run', '--host-config', host, '--rm', web, ...command], { viaEnv: true });
      assert.equal(result.exitCode, status, `${command.join(' ')}: ${result.stderr}`);
    }
  });

  it('joins several networks in one podman run, with a named volume and needs inherited from the base image', async () => {
    const built = await build(multi, await context(`FROM ${web}\nADDRESS back\n`));
    assert.equal(built.exitCode, 0, built.stderr);
    const front = await site({ ipv4: true });
    const back = await site();
    const volume = cleanup.volume(unique('vol'));
    const text = `from volume ${volume}\n`;
    assert.equal((await podman(['volume', 'create', volume])).exitCode, 0);
    const filled = await podman(['run', '--rm', '-v', `${volume}:/v`, 'berth-test/busybox:1', 'sh', '-c', `printf '%s' "$0" > /v/index.html`, text]);
    assert.equal(filled.exitCode, 0, filled.stderr);
    const host = await hostFile({
      networks: { [front.network]: networkEntry(front), [back.network]: networkEntry(back) },
      addresses: { webserver: addressEntry(front), back: addressEntry(back) },
      volumes: { webpages: { volume } },
    });

    const container = cleanup.container(unique('multi'));
    const started = await run(['run', '--host-config', host, '-d', '--name', container, multi]);
    assert.equal(started.exitCode, 0, started.stderr);
    const joined = JSON.parse((await podman(['inspect', '--format', '{{json .NetworkSettings.Networks}}', container])).stdout) as
      Record<string, { GlobalIPv6Address: string; IPAddress: string }>;
    assert.deepEqual(Object.keys(joined).sort(), [front.network, back.network].sort());
    assert.equal(joined[front.network]?.GlobalIPv6Address, front.ipv6);
    assert.equal(joined[front.network]?.IPAddress, front.ipv4);
    assert.equal(joined[back.network]?.GlobalIPv6Address, back.ipv6);
    assert.equal(await fetchPage(`http://[${back.ipv6}]/`), text);
    assert.equal(await fetchPage(`http://${front.ipv4 ?? ''}/`), text);

    // A container that cannot start on several networks leaves nothing behind either.
    assert.equal((await podman(['rm', '-f', '--time', '0', container])).exitCode, 0);
    const missing = await run(['run', '--host-config', host, '--rm', multi, 'no-such-command']);
    assert.equal(missing.exitCode, 125, missing.stderr);
    assert.match(missing.stderr, /berth removed what it had created/);
    assert.equal((await podman(['ps', '-a', '--filter', `ancestor=${multi}`, '--quiet'])).stdout.trim(), '');
  });

  it("matches images: patterns against podman's localhost/ name and the short name alike", async () => {
    const where = await site();
    const text = 'allowed\n';
    const source = await pages(text);
    const shortName = web.replace(/:1$/, '');
    for (const [pattern, ref] of [[`localhost/${shortName}:*`, web], [`${shortName}:*`, `localhost/${web}`]] as const) {
      const host = await webHost(where, source, { images: [pattern] });
      const result = await run(['run', '--host-config', host, '--rm', ref, 'cat', '/www/index.html']);
      assert.equal(result.exitCode, 0, `${pattern} / ${ref}: ${result.stderr}`);
      assert.equal(result.stdout, text);
    }
    const host = await webHost(where, source, { images: [`localhost/${prefix}-other:*`] });
    const refused = await run(['run', '--host-config', host, '--rm', web, 'true']);
    assert.equal(refused.exitCode, EXIT_CANNOT_START);
    assert.match(refused.stderr, /may only be claimed by images matching/);
  });

  it('matches images: patterns against the image podman resolves a digest to, never the text typed', async () => {
    const where = await site();
    const shortName = web.replace(/:1$/, '');
    const host = await webHost(where, await pages('allowed\n'), { images: [`localhost/${shortName}:*`, `localhost/${shortName}@*`] });
    // multi is another image; podman resolves NAME:TAG@DIGEST and NAME@DIGEST by the digest alone.
    const digest = (await podman(['image', 'inspect', '--format', '{{.Digest}}', multi])).stdout.trim();
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    const before = (await podman(['ps', '-a', '--quiet'])).stdout;
    const mixed = await run(['run', '--host-config', host, '--rm', `${web}@${digest}`, 'true']);
    assert.equal(mixed.exitCode, EXIT_CANNOT_START, mixed.stderr);
    assert.match(mixed.stderr, /its tag and its digest name different images; nothing was created \(give the tag or the digest alone\)/);
    const byDigest = await run(['run', '--host-config', host, '--rm', `localhost/${shortName}@${digest}`, 'true']);
    assert.equal(byDigest.exitCode, EXIT_CANNOT_START, byDigest.stderr);
    assert.match(byDigest.stderr, /address "webserver" may only be claimed by images matching/);
    for (const result of [mixed, byDigest]) assert.doesNotMatch(result.stderr, STACK_FRAME);
    assert.equal((await podman(['ps', '-a', '--quiet'])).stdout, before);
    assert.equal((await podman(['network', 'exists', where.network])).exitCode, 1, 'no network was created');
    // The same digest with its own name and tag agrees, and runs by the image id.
    const own = await run(['run', '--host-config', host, '--rm', `${web}@${(await podman(['image', 'inspect', '--format', '{{.Digest}}', web])).stdout.trim()}`, 'cat', '/www/index.html']);
    assert.equal(own.exitCode, 0, own.stderr);
    assert.equal(own.stdout, 'allowed\n');
  });

  it('refuses an image whose need is unmet with 125, creating no container and no network', async () => {
    const where = await site();
    const host = await hostFile({
      networks: { [where.network]: networkEntry(where) },
      addresses: { webserver: addressEntry(where) },
      volumes: { webpages: { volume: `${prefix}-absent` } },
    });
    const name = unique('refused');
    const refused = await run(['run', '--host-config', host, '--name', name, web]);
    assert.equal(refused.exitCode, EXIT_CANNOT_START);
    assert.match(refused.stderr, /volume "webpages": .*podman volume .*-absent does not exist/);
    assert.match(refused.stderr, /podman volume create/);
    assert.equal((await podman(['network', 'exists', where.network])).exitCode, 1, 'no network was created');
    assert.equal((await podman(['container', 'exists', name])).exitCode, 1, 'no container was created');
    assert.equal((await podman(['volume', 'exists', `${prefix}-absent`])).exitCode, 1, 'no volume was created');
  });

  it('names the address another container took after berth checked it, though podman run exits 126 then', async () => {
    const where = await site();
    const host = await webHost(where, await pages('raced\n'));
    const racer = cleanup.container(unique('racer'));
    // A podman that lets the racer take the address just before berth's own podman run, and
    // notes the exit status that run then has.
    const real = (await execa('sh', ['-c', 'command -v podman'])).stdout.trim();
    const bin = join(dir, unique('bin'));
    await mkdir(bin);
    await writeFile(join(bin, 'podman'), [
      '#!/bin/sh',
      `if [ "$1" = run ] && [ ! -e "${bin}/raced" ]; then`,
      `  touch "${bin}/raced"`,
      `  "${real}" run -d --name ${racer} --network ${where.network} --ip6 ${where.ipv6} berth-test/busybox:1 sleep 300 >/dev/null`,
      `  "${real}" "$@"`,
      '  status=$?',
      `  echo "$status" > "${bin}/run-status"`,
      '  exit "$status"',
      'fi',
      `exec "${real}" "$@"`,
      '',
    ].join('\n'), { mode: 0o755 });

    const name = unique('late');
    const result = await berth(['run', '--engine', 'podman', '--host-config', host, '--name', name, web, 'true'], {
      env: { ...PODMAN, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
    });
    assert.equal((await readFile(join(bin, 'run-status'), 'utf8')).trim(), '126', 'podman run itself exited 126');
    assert.equal(result.exitCode, EXIT_CANNOT_START, result.stderr);
    assert.match(result.stderr, new RegExp(`${where.ipv6} on network ${where.network} was taken by container ${racer} after berth checked it`));
    assert.equal((await podman(['container', 'exists', name])).exitCode, 1, 'berth removed its container');
  });

  it('leaves nothing behind', async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix, 'podman'), []);
    assert.equal(imageIds.length, 2);
    for (const id of imageIds) assert.equal((await podman(['image', 'exists', id])).exitCode, 1, `image ${id} is gone`);
  });
});

async function removeImage(image: string): Promise<void> {
  const removed = await podman(['rmi', '-f', image]);
  if (removed.exitCode !== 0 && !/image not known|no such image/i.test(removed.stderr)) {
    throw new Error(`podman rmi ${image}: ${removed.stderr.trim()}`);
  }
}
