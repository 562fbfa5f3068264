// What berth run looks at before resolving, in-process against the real engine and file system.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHostConfig } from '../../src/core/host/parse-host-config.js';
import { needKind } from '../../src/core/needs/kinds/index.js';
import type { Need } from '../../src/core/needs/need.js';
import { selectEngine } from '../../src/edge/engine.js';
import { observeWorld } from '../../src/run/observe-world.js';
import { Cleanup, dockerOk, engineSkip, testPrefix } from '../helpers/engine.js';

function need(kind: string, ...args: string[]): Need {
  const parsed = needKind(kind)?.parse(args, { source: 'label', key: 'test' });
  assert.ok(parsed?.ok);
  return parsed.need;
}

describe('observeWorld', { skip: await engineSkip() }, () => {
  const prefix = testPrefix();
  const cleanup = new Cleanup({ prefix });
  const present = cleanup.volume(`${prefix}-present`);
  let dir = '';

  before(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'berth-observe-')));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'link'));
    await dockerOk(['volume', 'create', present]);
  });
  after(() => cleanup.run());

  it('looks at exactly the volumes, directories and networks the needs touch', async () => {
    const parsed = parseHostConfig(`
networks:
  ${prefix}-absent:
    subnet6: 2001:db8:77::/112
  ${prefix}-unused:
    subnet6: 2001:db8:78::/112
volumes:
  bound:
    source: ${join(dir, 'link')}
  missing:
    source: ${join(dir, 'nowhere')}
  named:
    volume: ${present}
  gone:
    volume: ${prefix}-gone
  unused:
    source: /srv/unused
`, 'host.yaml');
    assert.ok(parsed.config, JSON.stringify(parsed.problems));
    const needs = [
      need('volume', 'bound', '/a'), need('volume', 'missing', '/b'), need('volume', 'named', '/c'),
      need('volume', 'gone', '/d'), need('network', `${prefix}-absent`),
    ];
    const world = await observeWorld(selectEngine('docker'), parsed.config, needs);
    assert.deepEqual(world.directories.get(join(dir, 'link')), { ok: true, realPath: join(dir, 'real'), symlink: join(dir, 'link') });
    assert.equal(world.directories.get(join(dir, 'nowhere'))?.ok, false);
    assert.equal(world.directories.has('/srv/unused'), false);
    assert.deepEqual([...world.volumes], [[present, true], [`${prefix}-gone`, false]]);
    assert.deepEqual([...world.networks], [[`${prefix}-absent`, undefined]]);
    assert.equal(world.engine, 'docker');
  });
});
