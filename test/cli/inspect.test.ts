import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASE_IMAGE, engineSkip, ensureBaseImage, testPrefix } from '../helpers/engine.js';
import { assertRefused, fakeEngineCli, runMain, type FakeEngineCli } from '../helpers/cli.js';

const engineSkipped = await engineSkip();
const UNREACHABLE = { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' };

describe('berth inspect', () => {
  describe('on the engine', { skip: engineSkipped }, () => {
    before(() => ensureBaseImage());

    it('an image without berth labels: says it runs as under docker run, exit 0', async () => {
      const result = await runMain(['inspect', BASE_IMAGE]);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stdout, `${BASE_IMAGE} declares no needs; berth run starts it exactly as docker run would.\n`);
    });

    it('an image that is not there: exit 1, what to do', async () => {
      const missing = `${testPrefix()}-missing:1`;
      assertRefused(await runMain(['inspect', missing]), 1,
        new RegExp(`^berth: image ${missing} not found locally \\(build it with berth build, or pull it\\)\\n$`));
    });
  });

  it('an engine that does not answer: exit 1 (not run\'s 125), with the engine\'s words', async () => {
    assertRefused(await runMain(['inspect', 'web'], UNREACHABLE), 1, /^berth: cannot reach the docker engine: Cannot connect to the Docker daemon/);
  });

  describe('labels as an engine reports them', () => {
    let fake: FakeEngineCli;
    const labels = {
      'berth.schema': '1',
      'berth.need.address.webserver': '["address","webserver"]',
      'berth.origin.address.webserver': 'example/web:1 Dockerfile:3',
      'berth.need.volume.webpages': '["volume","webpages","/www","ro"]',
      'berth.need.volume.bad': '["volume","other","/www"]',
    };
    before(async () => {
      const inspected = JSON.stringify([{ Id: 'sha256:0123', RepoTags: ['web:1'], RepoDigests: [], Config: { Labels: labels } }]);
      fake = await fakeEngineCli(`[ "$1 $2" = "image inspect" ] && { echo '${inspected}'; exit 0; }; exit 1`);
    });
    after(() => fake.remove());

    it('shows the needs it can read and refuses, naming the label, what it cannot: exit 1', async () => {
      const result = await runMain(['inspect', 'web:1'], fake.env);
      assertRefused(result, 1, /^berth: web:1 has berth labels that cannot be read; berth run will refuse it:\nberth: label berth\.need\.volume\.bad /m);
      assert.match(result.stdout, /^KIND +NAME +DETAILS +DECLARED AT$/m);
      assert.match(result.stdout, /^address +webserver +.*example\/web:1 Dockerfile:3$/m);
      assert.match(result.stdout, /^volume +webpages +at \/www \(ro\) +berth\.need\.volume\.webpages$/m);
    });

    it('--json: the needs and the problems as JSON', async () => {
      const result = await runMain(['inspect', '--json', 'web:1'], fake.env);
      assert.equal(result.exitCode, 1);
      const json = JSON.parse(result.stdout) as { image: string; id: string; needs: unknown[]; problems: { label: string }[] };
      assert.equal(json.image, 'web:1');
      assert.equal(json.id, 'sha256:0123');
      assert.equal(json.needs.length, 2);
      assert.deepEqual(json.problems.map((problem) => problem.label), ['berth.need.volume.bad']);
    });
  });
});
