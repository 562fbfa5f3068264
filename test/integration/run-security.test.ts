// Labels are untrusted input (README, "Image labels"): berth run refuses hand-made images whose berth labels
// name host paths, smuggle mount options, newlines, terminal escapes or shell metacharacters, are
// oversized, use another schema, escape the catalogue of names, or whose key and value disagree;
// each is refused with 125 and a message naming the label, and no container, network or file
// comes of it. The images are built with plain docker build --label, as anyone could publish them.
import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { berth, STACK_FRAME } from '../helpers/berth.js';
import {
  BASE_IMAGE, Cleanup, docker, dockerOk, engineEnv, engineSkip, ensureBaseImage, leftovers, testPrefix, type Engine,
} from '../helpers/engine.js';
import { docAddress6, docSubnet6 } from '../helpers/netns.js';

interface Hostile {
  readonly what: string;
  /** The image's labels; `berth.schema=1` is added unless the case sets or drops it. */
  readonly labels: Readonly<Record<string, string>>;
  readonly schema?: string | null;
  /** The label the message must name, as berth shows it. */
  readonly shown: string;
  readonly message: RegExp;
}

const need = (...args: string[]) => JSON.stringify(args);
const INVALID_NAME = /is not a valid name/;
/** C0 (but newline), DEL, C1, bidi controls and other format characters: none may reach a terminal raw. */
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('berth run refuses images whose berth labels cannot be trusted', { skip: await engineSkip() }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  let dir = '';
  /** A file that a label's shell metacharacters would create if they ever reached a shell. */
  let marker = '';
  let host = '';
  const network = `${prefix}-net`;

  const cases = (): Hostile[] => [
    { what: 'a host path as a volume name', labels: { 'berth.need.volume./etc': need('volume', '/etc', '/www') }, shown: 'berth.need.volume./etc', message: INVALID_NAME },
    { what: 'a host path as the name under a good key', labels: { 'berth.need.volume.webpages': need('volume', '/srv/www', '/www') }, shown: 'berth.need.volume.webpages', message: INVALID_NAME },
    { what: 'a mount option after a comma in the target', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www,source=/etc,readonly=false') }, shown: 'berth.need.volume.webpages', message: /contains ","/ },
    { what: '"=" in the target', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www/source=/etc') }, shown: 'berth.need.volume.webpages', message: /contains "="/ },
    { what: '":" in the target, as in -v SRC:DST', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www:/etc:rw') }, shown: 'berth.need.volume.webpages', message: /contains ":"/ },
    { what: 'a mount option in the name', labels: { 'berth.need.volume.web,dst': need('volume', 'web,dst=/etc', '/www') }, shown: 'berth.need.volume.web,dst', message: INVALID_NAME },
    { what: '".." segments in the target', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www/../etc') }, shown: 'berth.need.volume.webpages', message: /"\." or "\.\." segments/ },
    { what: 'an escaped newline in the target', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www\nx') }, shown: 'berth.need.volume.webpages', message: /contains a newline/ },
    { what: 'a raw newline in the value', labels: { 'berth.need.volume.webpages': '["volume","webpages","/www\nx"]' }, shown: 'berth.need.volume.webpages', message: /is not a JSON array of strings/ },
    { what: 'a newline in the key', labels: { 'berth.need.volume.web\npages': need('volume', 'webpages', '/www') }, shown: 'berth.need.volume.web\\u000apages', message: /belongs under key berth\.need\.volume\.webpages/ },
    { what: 'a terminal escape in the key', labels: { 'berth.need.volume.\u001b[2Jx': need('volume', 'x', '/www') }, shown: 'berth.need.volume.\\u001b[2Jx', message: /belongs under key berth\.need\.volume\.x/ },
    { what: 'shell metacharacters in a volume name', labels: { 'berth.need.volume.$(touch)': need('volume', `$(touch ${marker})`, '/www') }, shown: 'berth.need.volume.$(touch)', message: INVALID_NAME },
    { what: 'shell metacharacters in an address', labels: { 'berth.need.address.webserver;touch': need('address', `webserver;touch ${marker}`) }, shown: 'berth.need.address.webserver;touch', message: /nor an IP address/ },
    { what: 'backticks in a network name', labels: { 'berth.need.network.`touch`': need('network', `\`touch ${marker}\``) }, shown: 'berth.need.network.`touch`', message: INVALID_NAME },
    { what: 'a docker option as a network name', labels: { 'berth.need.network.--privileged': need('network', '--privileged') }, shown: 'berth.need.network.--privileged', message: INVALID_NAME },
    { what: 'a docker option after an address', labels: { 'berth.need.address.webserver': need('address', 'webserver', '--privileged') }, shown: 'berth.need.address.webserver', message: /exactly one NAME or IP address/ },
    { what: 'an oversized value', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', `/${'a'.repeat(5000)}`) }, shown: 'berth.need.volume.webpages', message: /longer than 4096 characters/ },
    { what: 'an oversized name', labels: { [`berth.need.volume.${'a'.repeat(65)}`]: need('volume', 'a'.repeat(65), '/www') }, shown: `berth.need.volume.${'a'.repeat(65)}`, message: /longer than 64 characters/ },
    { what: 'an unknown schema version', schema: '2', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www') }, shown: 'berth.schema', message: /is "2", but this berth reads schema 1/ },
    { what: 'needs without a schema', schema: null, labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www') }, shown: 'berth.schema', message: /is missing/ },
    { what: 'a name that escapes the catalogue', labels: { 'berth.need.volume.../x': need('volume', '../x', '/www') }, shown: 'berth.need.volume.../x', message: INVALID_NAME },
    { what: 'a value whose name differs from its key', labels: { 'berth.need.volume.webpages': need('volume', 'other', '/www') }, shown: 'berth.need.volume.webpages', message: /belongs under key berth\.need\.volume\.other/ },
    { what: 'a value whose kind differs from its key', labels: { 'berth.need.network.webpages': need('volume', 'webpages', '/www') }, shown: 'berth.need.network.webpages', message: /belongs under key berth\.need\.volume\.webpages/ },
    { what: 'an unknown kind', labels: { 'berth.need.device.gpu': need('device', 'gpu') }, shown: 'berth.need.device.gpu', message: /unknown kind "device"/ },
    { what: 'a value that is not JSON', labels: { 'berth.need.volume.webpages': 'webpages /www' }, shown: 'berth.need.volume.webpages', message: /is not a JSON array of strings/ },
    { what: 'a C1 CSI in the target', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www\u009b2J') }, shown: 'berth.need.volume.webpages', message: /control or format character \(U\+009B\)/ },
    { what: 'a bidi override in the target', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www/\u202egpj.exe') }, shown: 'berth.need.volume.webpages', message: /U\+202E/ },
    { what: 'a bidi isolate in the target', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www/\u2066x') }, shown: 'berth.need.volume.webpages', message: /U\+2066/ },
    { what: 'a double quote in the target, which docker\'s --mount cannot carry', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www/"x') }, shown: 'berth.need.volume.webpages', message: /contains "\""/ },
    { what: 'a trailing space in the target, which docker\'s --mount drops', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www ') }, shown: 'berth.need.volume.webpages', message: /ends with a space/ },
    { what: 'a terminal escape and a forged line in a zone index', labels: { 'berth.need.address.2001:db8::1': need('address', '2001:db8::1%\u001b[2J\nberth: all needs met') }, shown: 'berth.need.address.2001:db8::1', message: /"2001:db8::1%\\u001b\[2J\\u000aberth: all needs met" has a zone index/ },
    { what: 'a C1 control in the key', labels: { 'berth.need.volume.\u009b2Jx': need('volume', 'x', '/www') }, shown: 'berth.need.volume.\\u009b2Jx', message: /belongs under key berth\.need\.volume\.x/ },
    { what: 'a terminal escape in an origin', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www'), 'berth.origin.volume.webpages': 'Dockerfile:1\u001b[2J\u009b2J' }, shown: 'berth.origin.volume.webpages', message: /contains control or format characters/ },
    { what: 'a bidi override in an origin', labels: { 'berth.need.volume.webpages': need('volume', 'webpages', '/www'), 'berth.origin.volume.webpages': 'Dockerfile:\u202e1' }, shown: 'berth.origin.volume.webpages', message: /contains control or format characters/ },
    { what: 'a berth label of no known kind', labels: { 'berth.run.privileged': 'true' }, shown: 'berth.run.privileged', message: /not a label this berth knows/ },
  ];
  let hostile: Array<Hostile & { readonly image: string }> = [];

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-security-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    marker = join(dir, 'pwned');
    // A host that provides everything a sane image of these names would need.
    const pages = join(dir, 'www');
    await mkdir(pages);
    await writeFile(join(pages, 'index.html'), 'sane\n');
    const subnet6 = docSubnet6();
    host = join(dir, 'host.yaml');
    await writeFile(host, stringify({
      networks: { [network]: { subnet6 } },
      addresses: { webserver: { network, ipv6: docAddress6(subnet6, 0x20) } },
      volumes: { webpages: { source: pages }, x: { source: pages }, other: { source: pages } },
    }));
    hostile = cases().map((c, i) => ({ ...c, image: cleanup.image(`${prefix}-hostile${i}:1`) }));
    // Every build settles before a failure is reported, so that cleanup never races a build.
    const built = await Promise.allSettled(hostile.map((c) => buildWithLabels(c.image, labelsOf(c))));
    const failed = built.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
    assert.deepEqual(failed, [], 'could not build the hostile images');
  });
  after(() => cleanup.run());

  it('runs a sane image of the same names (so the refusals below are the labels\' doing)', async () => {
    const sane = cleanup.image(`${prefix}-sane:1`);
    await buildWithLabels(sane, {
      'berth.schema': '1',
      'berth.need.address.webserver': need('address', 'webserver'),
      'berth.need.volume.webpages': need('volume', 'webpages', '/www', 'ro'),
    });
    const dry = await berth(['run', '--host-config', host, '--dry-run', sane]);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`--mount type=bind,source=\\S+/www,target=/www,ro --label berth\\.image=${sane} --label berth\\.run\\.schema=1 .* -- sha256:[0-9a-f]{64}$`, 'm'));
  });

  for (const index of cases().keys()) {
    it(`refuses ${cases()[index]?.what ?? ''}`, async () => {
      const c = hostile[index];
      assert.ok(c, 'the image was not built');
      const refused = await berth(['run', '--host-config', host, '-d', c.image]);
      assert.equal(refused.exitCode, 125, refused.stderr);
      assert.ok(refused.stderr.includes(`berth:   label ${c.shown} `), `the message does not name ${JSON.stringify(c.shown)}:\n${refused.stderr}`);
      assert.match(refused.stderr, c.message);
      assert.match(refused.stderr, /cannot be trusted/);
      assert.doesNotMatch(refused.stderr, STACK_FRAME);
      // Nothing from the label forges a line of the message or reaches the terminal raw.
      for (const line of refused.stderr.split('\n').filter((l) => l !== '')) assert.match(line, /^berth: /);
      assert.doesNotMatch(refused.stderr, UNPRINTABLE);
      assert.equal(refused.stdout, '');
      assert.equal((await dockerOk(['ps', '-a', '--filter', `ancestor=${c.image}`, '--quiet'])).trim(), '');
    });
  }

  it('inspect names the hostile labels without printing their controls, and exits 1', async () => {
    for (const c of hostile) {
      for (const args of [['inspect', c.image], ['inspect', '--json', c.image]]) {
        const shown = await berth(args);
        assert.equal(shown.exitCode, 1, `${c.what}: ${shown.stderr}`);
        assert.doesNotMatch(shown.stderr, STACK_FRAME);
        assert.doesNotMatch(`${shown.stdout}${shown.stderr}`, UNPRINTABLE, c.what);
      }
    }
  });

  it('refuses a FIFO or a device as the host file at once, with or without needs, and an empty --host-config', async () => {
    const needy = cleanup.image(`${prefix}-needy:1`);
    await buildWithLabels(needy, { 'berth.schema': '1', 'berth.need.volume.webpages': need('volume', 'webpages', '/www') });
    const fifo = join(dir, 'host.fifo');
    await execa('mkfifo', [fifo]);
    const runs: Array<{ what: string; args: string[]; env?: Record<string, string>; exit: number; message: RegExp }> = [
      { what: 'run --host-config FIFO', args: ['run', '--host-config', fifo, '--rm', needy, 'true'], exit: 125, message: /cannot read host file \S+host\.fifo: it is a FIFO, not a regular file/ },
      { what: 'run with $BERTH_HOST_CONFIG a FIFO', args: ['run', '--rm', needy, 'true'], env: { BERTH_HOST_CONFIG: fifo }, exit: 125, message: /it is a FIFO, not a regular file/ },
      { what: 'run --host-config /dev/zero', args: ['run', '--host-config', '/dev/zero', '--rm', needy, 'true'], exit: 125, message: /cannot read host file \/dev\/zero: it is a device, not a regular file/ },
      { what: 'check --host-config FIFO', args: ['check', '--host-config', fifo], exit: 1, message: /it is a FIFO, not a regular file/ },
      { what: 'run --host-config ""', args: ['run', '--host-config', '', '--rm', needy, 'true'], exit: 125, message: /--host-config was given an empty file name/ },
      { what: 'check --host-config ""', args: ['check', '--host-config', ''], exit: 1, message: /--host-config was given an empty file name/ },
      // An image without needs never reads the file, and the early read must not hang it either.
      { what: 'run of an image without needs, host file a FIFO', args: ['run', '--host-config', fifo, '--rm', BASE_IMAGE, 'true'], exit: 0, message: /^$/ },
    ];
    for (const r of runs) {
      const result = await berth(r.args, { timeoutMs: 20_000, ...(r.env ? { env: r.env } : {}) });
      assert.equal(result.exitCode, r.exit, `${r.what}: ${result.stderr}`);
      assert.match(result.stderr, r.message, r.what);
      assert.doesNotMatch(result.stderr, STACK_FRAME);
    }
    assert.equal((await dockerOk(['ps', '-a', '--filter', `ancestor=${needy}`, '--quiet'])).trim(), '');
  });

  it('gives providers the host file as an absolute path when it was given relative', async () => {
    const needy = cleanup.image(`${prefix}-provided:1`);
    await buildWithLabels(needy, { 'berth.schema': '1', 'berth.need.volume.elsewhere': need('volume', 'elsewhere', '/www') });
    const seen = join(dir, 'provider-saw');
    const provider = join(dir, 'provider.sh');
    await writeFile(provider, `#!/bin/sh\nprintf %s "$BERTH_HOST_CONFIG" > ${seen}\nexit 3\n`, { mode: 0o755 });
    await writeFile(join(dir, 'relative.yaml'), stringify({ providers: { volume: [provider] } }));
    const result = await berth(['run', '--host-config', 'relative.yaml', '--rm', needy, 'true'], { cwd: dir });
    assert.equal(result.exitCode, 125, result.stderr);
    assert.match(result.stderr, /exited with status 3/);
    assert.equal(await readFile(seen, 'utf8'), join(dir, 'relative.yaml'));
  });

  it('created no network, and no label reached a shell', async () => {
    assert.notEqual((await docker(['network', 'inspect', network])).exitCode, 0, `${network} was created`);
    assert.equal(await access(marker).then(() => true, () => false), false, `${marker} exists`);
  });

  it('leaves nothing behind', async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix), []);
  });
});

// A providers.KIND provider's entry joins the host file and is checked with it as the file is: it
// may not give a name an address another entry holds (one whose images: exclude this image), a
// network whose subnet overlaps another, or a volume entry the file's rules refuse.
describe('berth run checks what fallback providers print against the host file', { skip: await engineSkip() }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const network = `${prefix}-net`;
  const subnet6 = docSubnet6();
  const held = docAddress6(subnet6, 0x20);
  let dir = '';
  const images = { address: `${prefix}-guest:1`, network: `${prefix}-joiner:1`, volume: `${prefix}-pages:1` };

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-provider-output-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    await buildWithLabels(cleanup.image(images.address), { 'berth.schema': '1', 'berth.need.address.guest': need('address', 'guest') });
    await buildWithLabels(cleanup.image(images.network), { 'berth.schema': '1', 'berth.need.network.wide': need('network', 'wide') });
    await buildWithLabels(cleanup.image(images.volume), { 'berth.schema': '1', 'berth.need.volume.pages': need('volume', 'pages', '/www') });
  });
  after(() => cleanup.run());

  /** A host file whose `providers.KIND` is a script printing `entry`; only `webserver` may hold `held`, and only for other images. */
  async function hostWith(kind: keyof typeof images, entry: Record<string, unknown>): Promise<{ host: string; provider: string }> {
    const provider = join(dir, `print-${kind}-${Math.random().toString(16).slice(2, 8)}`);
    await writeFile(provider, `#!/bin/sh\nprintf '%s\\n' '${JSON.stringify(entry)}'\n`, { mode: 0o755 });
    const host = join(dir, `${basename(provider)}.yaml`);
    await writeFile(host, stringify({
      networks: { [network]: { subnet6 } },
      addresses: { webserver: { network, ipv6: held, images: ['registry.example.com/web:*'] } },
      providers: { [kind]: [provider] },
    }));
    return { host, provider };
  }

  const refusals: ReadonlyArray<{ what: string; kind: keyof typeof images; entry: () => Record<string, unknown>; message: () => RegExp }> = [
    { what: 'the address of a name whose images: exclude the image', kind: 'address', entry: () => ({ network, ipv6: held }), message: () => new RegExp(`addresses\\.guest\\.ipv6: ${held} is already the address of "webserver"`) },
    { what: 'a network whose subnet overlaps one of the file', kind: 'network', entry: () => ({ subnet6: subnet6.replace('/112', '/100') }), message: () => /networks\.wide\.subnet6: \S+ overlaps \S+ of network/ },
    { what: 'a volume whose source is relative', kind: 'volume', entry: () => ({ source: 'srv/www' }), message: () => /volumes\.pages\.source must be an absolute path/ },
    { what: 'a volume entry with a key the file refuses', kind: 'volume', entry: () => ({ source: '/srv/www', 'copy-up': true }), message: () => /volumes\.pages\.copy-up applies only to a Docker named volume/ },
  ];
  for (const r of refusals) {
    it(`refuses ${r.what}, naming the provider, and creates nothing`, async () => {
      const { host, provider } = await hostWith(r.kind, r.entry());
      const refused = await berth(['run', '--host-config', host, '--rm', images[r.kind], 'true']);
      assert.equal(refused.exitCode, 125, refused.stderr);
      assert.ok(refused.stderr.includes(`provider ${provider} printed an entry that ${host} does not allow: `), refused.stderr);
      assert.match(refused.stderr, r.message());
      assert.match(refused.stderr, /nothing was created/);
      assert.doesNotMatch(refused.stderr, STACK_FRAME);
      assert.equal((await dockerOk(['ps', '-a', '--filter', `ancestor=${images[r.kind]}`, '--quiet'])).trim(), '');
      assert.notEqual((await docker(['network', 'inspect', network])).exitCode, 0, `${network} was created`);
    });
  }

  it('runs with a provider\'s entry that agrees with the file (so the refusals above are the checks\' doing)', async () => {
    const { host } = await hostWith('address', { network, ipv6: docAddress6(subnet6, 0x21) });
    const ran = await berth(['run', '--host-config', host, '--rm', images.address, 'ip', '-6', 'addr']);
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.ok(ran.stdout.includes(docAddress6(subnet6, 0x21)), ran.stdout);
  });

  it('leaves nothing behind', async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix), []);
  });
});

// A source whose path holds a symbolic link can be pointed elsewhere between berth's check and the
// mount. With follow-symlinks: false berth refuses any such source, so a link flipped in a loop
// never chooses what is mounted.
describe('berth run refuses a source through a symbolic link when its entry says follow-symlinks: false', { skip: await engineSkip() }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const image = `${prefix}-linked:1`;
  let dir = '';

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-symlink-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    for (const side of ['a', 'b']) {
      await mkdir(join(dir, side, 'www'), { recursive: true });
      await writeFile(join(dir, side, 'www', 'side'), `${side}\n`);
    }
    await symlink(join(dir, 'a'), join(dir, 'link'));
    await buildWithLabels(cleanup.image(image), { 'berth.schema': '1', 'berth.need.volume.pages': need('volume', 'pages', '/www', 'ro') });
  });
  after(() => cleanup.run());

  async function hostFile(entry: Record<string, unknown>): Promise<string> {
    const host = join(dir, `host-${Math.random().toString(16).slice(2, 8)}.yaml`);
    await writeFile(host, stringify({ volumes: { pages: entry } }));
    return host;
  }

  it('refuses it, naming the link, exits 125 and starts nothing', async () => {
    const host = await hostFile({ source: join(dir, 'link', 'www'), 'follow-symlinks': false });
    const refused = await berth(['run', '--host-config', host, '--rm', image, 'cat', '/www/side']);
    assert.equal(refused.exitCode, 125, refused.stderr);
    assert.ok(refused.stderr.includes(`volume "pages": ${join(dir, 'link', 'www')} goes through the symbolic link ${join(dir, 'link')}, and its entry says follow-symlinks: false`), refused.stderr);
    assert.match(refused.stderr, /nothing was created/);
    assert.doesNotMatch(refused.stderr, STACK_FRAME);
    assert.equal(refused.stdout, '');
    assert.equal((await dockerOk(['ps', '-a', '--filter', `ancestor=${image}`, '--quiet'])).trim(), '');
  });

  it('mounts a source without links, and follows links by default', async () => {
    const strict = await berth(['run', '--host-config', await hostFile({ source: join(dir, 'b', 'www'), 'follow-symlinks': false }), '--rm', image, 'cat', '/www/side']);
    assert.equal(strict.exitCode, 0, strict.stderr);
    assert.equal(strict.stdout, 'b\n');
    const followed = await berth(['run', '--host-config', await hostFile({ source: join(dir, 'link', 'www') }), '--rm', image, 'cat', '/www/side']);
    assert.equal(followed.exitCode, 0, followed.stderr);
    assert.equal(followed.stdout, 'a\n');
  });

  it('never mounts either side of a link flipped in a loop while berth runs', async () => {
    const host = await hostFile({ source: join(dir, 'flip', 'www'), 'follow-symlinks': false });
    await symlink(join(dir, 'a'), join(dir, 'flip'));
    let flipping = true;
    const flipper = (async () => {
      for (let i = 0; flipping; i++) {
        const next = join(dir, `flip.${i}`);
        await symlink(join(dir, i % 2 === 0 ? 'a' : 'b'), next);
        await rename(next, join(dir, 'flip'));
      }
    })();
    try {
      // Followed, the link chooses the mount: the attack.
      const followed = await berth(['run', '--host-config', await hostFile({ source: join(dir, 'flip', 'www') }), '--dry-run', image, 'true']);
      assert.equal(followed.exitCode, 0, followed.stderr);
      assert.match(followed.stdout, new RegExp(`--mount type=bind,source=${dir}/[ab]/www,target=/www,ro `));
      for (let run = 0; run < 10; run++) {
        const dry = await berth(['run', '--host-config', host, '--dry-run', image, 'true']);
        assert.equal(dry.exitCode, 125, `dry run ${run} resolved the flipping link:\n${dry.stdout}${dry.stderr}`);
        assert.doesNotMatch(dry.stdout, /--mount/);
      }
      const refused = await berth(['run', '--host-config', host, '--rm', image, 'cat', '/www/side']);
      assert.equal(refused.exitCode, 125, refused.stderr);
      assert.equal(refused.stdout, '');
    } finally {
      flipping = false;
      await flipper;
    }
  });

  it('leaves nothing behind', async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix), []);
  });
});

// Engines copy the image's files at a mount target into an empty named volume ("copy-up"), even
// for a read-only mount: an image could so land files (a setuid binary) in the host's volume.
for (const engine of ['docker', 'podman'] as const satisfies readonly Engine[]) {
  describe(`berth run on ${engine} never lets an image write into a host volume by copy-up`, { skip: await engineSkip(engine) }, () => {
    const prefix = testPrefix();
    const cleanup = new Cleanup({ engine, prefix });
    const env = engineEnv(engine);
    const image = `${prefix}-copyup:1`;
    let dir = '';

    before(async () => {
      await ensureBaseImage(engine);
      dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-copy-up-test-')));
      cleanup.defer(() => rm(dir, { recursive: true, force: true }));
      // podman only untags an image another one is built FROM: remove it by name after the rest.
      cleanup.defer(async () => { await docker(['rmi', '-f', image], { engine }); });
      await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nRUN mkdir /t && echo x >/t/evil\nNEED volume c /t ro\n`);
      const built = await berth(['build', '--engine', engine, '-q', '-t', image, dir], { env });
      assert.equal(built.exitCode, 0, built.stderr);
    });
    after(() => cleanup.run());

    /** A fresh, empty named volume and a host file that gives it to the image as `c`. */
    async function volumeFor(entry: Record<string, unknown>): Promise<{ volume: string; host: string }> {
      const volume = cleanup.volume(`${prefix}-vol${Math.random().toString(16).slice(2, 8)}`);
      await dockerOk(['volume', 'create', volume], { engine });
      const host = join(dir, `${volume}.yaml`);
      await writeFile(host, stringify({ volumes: { c: { volume, ...entry } } }));
      return { volume, host };
    }

    async function volumeContents(volume: string): Promise<string> {
      return (await dockerOk(['run', '--rm', '--mount', `type=volume,source=${volume},target=/v`, BASE_IMAGE, 'ls', '-A', '/v'], { engine })).trim();
    }

    it('mounts a readonly: true volume without copy-up: the image\'s files never reach it', async () => {
      const { volume, host } = await volumeFor({ readonly: true });
      const dry = await berth(['run', '--engine', engine, '--host-config', host, '--dry-run', '--rm', image, 'ls', '-A', '/t'], { env });
      assert.equal(dry.exitCode, 0, dry.stderr);
      assert.ok(dry.stdout.includes(engine === 'docker' ? `--mount type=volume,source=${volume},target=/t,ro,volume-nocopy` : `-v ${volume}:/t:ro,nocopy`), dry.stdout);
      const ran = await berth(['run', '--engine', engine, '--host-config', host, '--rm', image, 'ls', '-A', '/t'], { env });
      assert.equal(ran.exitCode, 0, ran.stderr);
      assert.equal(ran.stdout.trim(), '', 'the container saw the image\'s files at /t');
      assert.equal(await volumeContents(volume), '', `the image wrote into ${volume}`);
    });

    it('copies up only where the host entry says copy-up: true', async () => {
      const { volume, host } = await volumeFor({ readonly: true, 'copy-up': true });
      const ran = await berth(['run', '--engine', engine, '--host-config', host, '--rm', image, 'true'], { env });
      assert.equal(ran.exitCode, 0, ran.stderr);
      assert.equal(await volumeContents(volume), 'evil');
    });

    it('leaves nothing behind', async () => {
      await cleanup.run();
      assert.deepEqual(await leftovers(prefix, engine), []);
    });
  });
}

function labelsOf(c: Hostile): Record<string, string> {
  const schema = c.schema === undefined ? { 'berth.schema': '1' } : c.schema === null ? {} : { 'berth.schema': c.schema };
  return { ...schema, ...c.labels };
}

/** `docker build --label` of an image with no more than the base image and `labels`. */
async function buildWithLabels(image: string, labels: Readonly<Record<string, string>>): Promise<void> {
  const flags = Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  await dockerOk(['build', '--quiet', '--tag', image, ...flags, '-'], { input: `FROM ${BASE_IMAGE}\n` });
}
