// berth export --to kubernetes, with the pod part run for real by podman kube play: the image's
// needs, met by a node's host file, become a Deployment and a claim; podman, which ignores the
// Multus annotation, gets the network and address the export's own comment names, and the
// container has the address and the claim's volume at the need's target.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { berth } from '../helpers/berth.js';
import { Cleanup, engineEnv, engineSkip, ensureBaseImage, leftovers, podman, testPrefix } from '../helpers/engine.js';
import { freeSite, type Site } from '../helpers/subnets.js';

const PODMAN = engineEnv('podman');

interface Inspected {
  readonly Mounts: readonly { readonly Type: string; readonly Name?: string; readonly Destination: string }[];
  readonly NetworkSettings: { readonly Networks: Record<string, { readonly GlobalIPv6Address: string }> };
}

describe('berth export --to kubernetes, played by podman', { skip: await engineSkip('podman') }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ engine: 'podman', prefix });
  const image = cleanup.image(`${prefix}-web:1`);
  let dir = '';
  let where: Site;
  let hostFile = '';

  before(async () => {
    await ensureBaseImage('podman');
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-export-test-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'context'));
    await writeFile(join(dir, 'context', 'Dockerfile'), 'FROM berth-test/busybox:1\nADDRESS webserver\nNEED volume webpages /www\nCMD ["sleep", "600"]\n');
    const built = await berth(['build', '--engine', 'podman', '-q', '-t', image, join(dir, 'context')], { env: PODMAN });
    assert.equal(built.exitCode, 0, built.stderr);
    where = await freeSite(cleanup.network(`${prefix}-net`));
    hostFile = join(dir, 'host.yaml');
    await writeFile(hostFile, stringify({
      networks: { [where.network]: { subnet6: where.subnet6 } },
      addresses: { webserver: { network: where.network, ipv6: where.ipv6, images: [`${prefix}-web:*`] } },
      volumes: { webpages: { source: dir } },
    }));
  });
  after(async () => {
    await cleanup.run();
    assert.deepEqual(await leftovers(prefix, 'podman'), []);
  });

  it('the container gets the address and the claim\'s volume at the target', async () => {
    const exported = await berth(['export', '--engine', 'podman', '--to', 'kubernetes', image, '--host-config', `node-a=${hostFile}`], { env: PODMAN });
    assert.equal(exported.exitCode, 0, exported.stderr);
    const objects = parseAllDocuments(exported.stdout).map((doc) => doc.toJS() as { kind: string; metadata: { name: string } });
    const deployment = objects.find((o) => o.kind === 'Deployment')?.metadata.name ?? '';
    const claim = objects.find((o) => o.kind === 'PersistentVolumeClaim')?.metadata.name ?? '';
    assert.equal(deployment, `${prefix}-web`);
    assert.equal(claim, `${prefix}-web.webpages`);

    // What the export tells a podman user to pass, since podman ignores the Multus annotation.
    const told = /^# podman ignores the Multus annotation: podman kube play (.*) FILE \(deployment (.*)\)$/m.exec(exported.stdout);
    assert.ok(told, exported.stdout);
    assert.equal(told[1], `--network ${where.network} --ip ${where.ipv6}`);
    assert.equal(told[2], deployment);

    const file = join(dir, 'cluster.yaml');
    await writeFile(file, exported.stdout);
    const created = await podman(['network', 'create', '--ipv6', '--subnet', where.subnet6, where.network]);
    assert.equal(created.exitCode, 0, created.stderr);
    cleanup.volume(claim);
    cleanup.defer(async () => {
      await podman(['kube', 'down', file]);
    });
    const played = await podman(['kube', 'play', ...(told[1] ?? '').split(' '), file]);
    assert.equal(played.exitCode, 0, played.stderr);

    const pods = await podman(['pod', 'ps', '--filter', `label=app.kubernetes.io/name=${deployment}`, '--format', '{{.Name}}']);
    const [pod = ''] = pods.stdout.split('\n').filter(Boolean);
    const containers = await podman(['ps', '--filter', `pod=${pod}`, '--format', '{{.Names}} {{.IsInfra}}']);
    const container = containers.stdout.split('\n').map((line) => line.split(' ')).find(([, infra]) => infra === 'false')?.[0] ?? '';
    assert.ok(container, containers.stdout);

    const inspected = await podman(['container', 'inspect', container]);
    assert.equal(inspected.exitCode, 0, inspected.stderr);
    const [facts] = JSON.parse(inspected.stdout) as Inspected[];
    assert.equal(facts?.NetworkSettings.Networks[where.network]?.GlobalIPv6Address, where.ipv6);
    assert.deepEqual(facts?.Mounts.map((m) => [m.Type, m.Name, m.Destination]), [['volume', claim, '/www']]);

    const written = await podman(['exec', container, 'sh', '-c', 'echo from the pod > /www/note']);
    assert.equal(written.exitCode, 0, written.stderr);
    const mountpoint = await podman(['volume', 'inspect', '--format', '{{.Mountpoint}}', claim]);
    assert.equal(await readFile(join(mountpoint.stdout.trim(), 'note'), 'utf8'), 'from the pod\n');

    const down = await podman(['kube', 'down', file]);
    assert.equal(down.exitCode, 0, down.stderr);
  });

  it('an image runs only where its needs are met; where no node meets them: exit 1, each node\'s reasons, nothing on stdout', async () => {
    const other = join(dir, 'other.yaml');
    await writeFile(other, stringify({ networks: { [where.network]: { subnet6: where.subnet6 } } }));
    const both = await berth(['export', '--engine', 'podman', '--to', 'kubernetes', image, '--host-config', `node-a=${hostFile}`, '--host-config', `node-b=${other}`], {
      env: PODMAN,
    });
    assert.equal(both.exitCode, 0, both.stderr);
    assert.match(both.stdout, new RegExp(`^# image ${image}: runs on node node-a$`, 'm'));
    const none = await berth(['export', '--engine', 'podman', '--to', 'kubernetes', image, '--host-config', `node-b=${other}`], { env: PODMAN });
    assert.equal(none.exitCode, 1);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, new RegExp(`^berth: no node can run ${image}:$`, 'm'));
    assert.match(none.stderr, /^berth: {3}node node-b: address "webserver" is not declared under addresses: in .*other\.yaml; declare it there/m);
    assert.match(none.stderr, /^berth: {3}node node-b: volume "webpages" is not declared under volumes: in .*other\.yaml; declare it there/m);
    assert.match(none.stderr, /^berth: nothing was exported$/m);
  });
});
