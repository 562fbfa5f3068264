// berth export --to compose on the engine: the file it prints, with the network made by the command
// its comment gives, runs under docker-compose alone, the service answers at its address, and
// berth ps knows its container.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { berth, REPO_ROOT } from '../helpers/berth.js';
import { Cleanup, docker, dockerOk, engineSkip, ensureBaseImage, testPrefix } from '../helpers/engine.js';
import { fetchPage } from '../helpers/http.js';
import { docAddress6, docSubnet6 } from '../helpers/netns.js';
import { skipFor } from '../helpers/skip.js';

const composeMissing = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0 ? undefined : 'docker-compose is not installed (test/engine/ensure-engine.sh installs it)';
const skip = (await engineSkip()) || skipFor(composeMissing);

describe('berth export --to compose on the engine', { skip }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const image = cleanup.image(`${prefix}-web:1`);
  const network = cleanup.network(`${prefix}-net`);
  let dir = '';

  before(async () => {
    await ensureBaseImage();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-export-compose-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    cleanup.defer(async () => {
      await docker(['rm', '-f', ...(await dockerOk(['ps', '-aq', '--filter', `label=com.docker.compose.project=${prefix}`])).split('\n').filter((id) => id !== '')]);
    });
    const built = await berth(['build', '-q', '-t', image, join(REPO_ROOT, 'fixtures/web')]);
    assert.equal(built.exitCode, 0, built.stderr);
  });
  after(() => cleanup.run());

  it('prints a file docker-compose runs once the commented network exists; the service answers at its address', async () => {
    const subnet = docSubnet6(112);
    const address = docAddress6(subnet, 0x20);
    await mkdir(join(dir, 'www'));
    await writeFile(join(dir, 'www', 'index.html'), `exported by ${prefix}\n`);
    const hostFile = join(dir, 'host.yaml');
    await writeFile(hostFile, stringify({
      networks: { [network]: { subnet6: subnet } },
      addresses: { webserver: { network, ipv6: address } },
      volumes: { webpages: { source: join(dir, 'www') } },
    }));
    const exported = await berth(['export', '--to', 'compose', image, '--host-config', hostFile]);
    assert.equal(exported.exitCode, 0, exported.stderr);
    const file = join(dir, 'compose.yaml');
    await writeFile(file, exported.stdout);

    const create = new RegExp(`^# - network ${network} must exist \\(compose joins it, never creates it\\): docker (network create .*)$`, 'm').exec(exported.stdout)?.[1];
    assert.ok(create, exported.stdout);
    await dockerOk(create.split(' '));

    const up = spawnSync('docker-compose', ['-p', prefix, '-f', file, 'up', '-d'], { encoding: 'utf8' });
    assert.equal(up.status, 0, up.stderr);
    assert.equal(await fetchPage(`http://[${address}]/`), `exported by ${prefix}\n`);
    // The file gives the container berth run's record: berth ps reads it as one of berth's own.
    const listed = await berth(['ps', '--json', '--host-config', hostFile]);
    assert.equal(listed.exitCode, 0, listed.stderr);
    const rows = (JSON.parse(listed.stdout) as { name: string; trusted: boolean; needs: { kind: string; ipv6?: string }[] }[]).filter((row) => row.name.startsWith(prefix));
    assert.deepEqual(rows.map((row) => [row.name, row.trusted, row.needs.find((n) => n.kind === 'address')?.ipv6]), [[`${prefix}_${prefix}-web_1`, true, address]]);
    const down = spawnSync('docker-compose', ['-p', prefix, '-f', file, 'down'], { encoding: 'utf8' });
    assert.equal(down.status, 0, down.stderr);
    assert.equal((await docker(['network', 'inspect', network])).exitCode, 0, 'compose removed the external network');
  });
});
