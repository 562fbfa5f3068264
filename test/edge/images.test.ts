import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BerthError } from '../../src/core/errors.js';
import type { Engine } from '../../src/edge/engine.js';
import { inspectImage } from '../../src/edge/images.js';
import { fakeEngineCli } from '../helpers/cli.js';
import { BASE_IMAGE, engineEnv, engineSkip, ensureBaseImage, testPrefix, type Engine as EngineName } from '../helpers/engine.js';
import { withEnv } from '../helpers/env.js';

for (const name of ['docker', 'podman'] as const satisfies readonly EngineName[]) {
  describe(`inspectImage (${name})`, async () => {
    const skip = await engineSkip(name);
    const engine: Engine = { name, command: name };
    let restoreEnv = () => {};
    before(async () => {
      restoreEnv = withEnv(engineEnv(name));
      if (skip) return;
      await ensureBaseImage(name);
    });
    after(() => restoreEnv());

    it('reads a local image: its id and names', { skip }, async () => {
      const facts = await inspectImage(engine, BASE_IMAGE);
      assert.ok(facts);
      assert.match(facts.id, /^(sha256:)?[0-9a-f]{64}$/);
      assert.ok(facts.repoTags.some((tag) => tag.endsWith(BASE_IMAGE)), facts.repoTags.join(', '));
    });

    it('is undefined for an image that is not local', { skip }, async () => {
      assert.equal(await inspectImage(engine, `${testPrefix()}-missing:1`), undefined);
    });
  });
}

describe('inspectImage when inspect fails', () => {
  const engine: Engine = { name: 'docker', command: 'docker' };

  it('asks whether the engine answers: the image is not local when it does, whatever the words', async () => {
    const fake = await fakeEngineCli('[ "$1" = version ] && { echo 20.10.24; exit 0; }; echo "Error: something new" >&2; exit 1');
    const restore = withEnv(fake.env);
    try {
      assert.equal(await inspectImage(engine, 'web:1'), undefined);
    } finally {
      restore();
      await fake.remove();
    }
  });

  it('says the engine cannot be reached when it does not answer', async () => {
    const restore = withEnv({ DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' });
    try {
      await assert.rejects(inspectImage(engine, 'web:1'), (error: unknown) => {
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
