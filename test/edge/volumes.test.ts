import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BerthError } from '../../src/core/errors.js';
import type { Engine } from '../../src/edge/engine.js';
import { volumeExists } from '../../src/edge/volumes.js';
import { Cleanup, docker, dockerOk, engineEnv, engineSkip, leftovers, testPrefix, type Engine as EngineName } from '../helpers/engine.js';
import { fakeEngineCli } from '../helpers/cli.js';
import { withEnv } from '../helpers/env.js';

for (const name of ['docker', 'podman'] as const satisfies readonly EngineName[]) {
  describe(`volumeExists (${name})`, async () => {
    const skip = await engineSkip(name);
    const engine: Engine = { name, command: name };
    const prefix = testPrefix();
    const cleanup = new Cleanup({ engine: name, prefix });
    let restoreEnv = () => {};

    before(async () => {
      restoreEnv = withEnv(engineEnv(name));
      if (skip) return;
      await dockerOk(['volume', 'create', cleanup.volume(`${prefix}-there`)], { engine: name });
    });
    after(async () => {
      await cleanup.run();
      restoreEnv();
      if (!skip) assert.deepEqual(await leftovers(prefix, name), []);
    });

    it('is true for a volume that exists', { skip }, async () => {
      assert.equal(await volumeExists(engine, `${prefix}-there`), true);
    });

    it('is false for one that does not, and never creates it', { skip }, async () => {
      assert.equal(await volumeExists(engine, `${prefix}-missing`), false);
      assert.notEqual((await docker(['volume', 'inspect', `${prefix}-missing`], { engine: name })).exitCode, 0);
    });
  });
}

describe('volumeExists without an engine', () => {
  it('says the engine cannot be reached', async () => {
    const restore = withEnv({ DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' });
    try {
      await assert.rejects(volumeExists({ name: 'docker', command: 'docker' }, 'anything'), (error: unknown) => {
        assert.ok(error instanceof BerthError);
        assert.equal(error.code, 'engine.unreachable');
        assert.equal(error.exitCode, 1);
        return true;
      });
    } finally {
      restore();
    }
  });
});

describe('volumeExists by the list, whatever the engine says', () => {
  // Engine CLIs that fail `volume inspect` with the given words and list the given names.
  const withFake = async (inspectSays: string, listed: string | undefined, body: () => Promise<void>) => {
    const fake = await fakeEngineCli([
      `[ "$1 $2" = "volume inspect" ] && { echo "${inspectSays}" >&2; exit 1; }`,
      listed === undefined ? 'echo "Error: odd" >&2; exit 1' : `[ "$1 $2" = "volume ls" ] && { printf '%s\\n' ${listed}; exit 0; }`,
      'exit 1',
    ].join('\n'));
    const restore = withEnv(fake.env);
    try {
      await body();
    } finally {
      restore();
      await fake.remove();
    }
  };
  const engine: Engine = { name: 'docker', command: 'docker' };

  it('is false when the list does not hold the exact name, however the refusal is worded', async () => {
    await withFake('Error: no such volume: data', 'data-2 other', async () => {
      assert.equal(await volumeExists(engine, 'data'), false);
    });
  });

  it('fails with the engine\'s words when the list holds it though inspect failed, even if they say "not found"', async () => {
    await withFake('Error: driver not found', 'data', async () => {
      await assert.rejects(volumeExists(engine, 'data'), (error: unknown) => {
        assert.ok(error instanceof BerthError);
        assert.equal(error.code, 'volume.inspect-failed');
        assert.equal(error.message, 'cannot inspect volume data: Error: driver not found');
        return true;
      });
    });
  });

  it('fails when the list fails too', async () => {
    await withFake('Error: odd', undefined, async () => {
      await assert.rejects(volumeExists(engine, 'data'), /cannot list volume data: Error: odd/);
    });
  });
});
