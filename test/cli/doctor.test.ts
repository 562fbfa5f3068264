import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engineSkip, testPrefix } from '../helpers/engine.js';
import { assertRefused, fakeEngineCli, runMain, type FakeEngineCli } from '../helpers/cli.js';

const engineSkipped = await engineSkip();

// berth doctor reports with 1, never with berth run's 125, whatever fails.
describe('berth doctor exit status', () => {
  const missingHostFile = `/nonexistent/${testPrefix()}/host.yaml`;

  it('a failed check (the host file is not there): the report, exit 1', { skip: engineSkipped }, async () => {
    const result = await runMain(['doctor', '--host-config', missingHostFile]);
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(result.stdout, /^✗ host file +cannot read .*: no such file/m);
    assert.match(result.stdout, /\n✗ \d+ of \d+ checks failed/);
  });

  it('an engine that does not answer: a failed check, exit 1', async () => {
    const result = await runMain(['doctor', '--host-config', missingHostFile], { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' });
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(result.stdout, /^✗ engine +/m);
  });

  describe('an engine query that fails in a way berth does not know', () => {
    let fake: FakeEngineCli;
    before(async () => {
      fake = await fakeEngineCli([
        'case "$1 $2" in',
        '  "info --format") echo 20.10.24; exit 0 ;;',
        '  "network ls") [ "$3" = --format ] && { echo odd; exit 0; } ;;',
        'esac',
        'echo "Error: something odd happened" >&2',
        'exit 1',
      ].join('\n'));
    });
    after(() => fake.remove());

    it('stops with the engine\'s words, exit 1', async () => {
      const result = await runMain(['doctor', '--host-config', missingHostFile], fake.env);
      assertRefused(result, 1, /^berth: cannot list network odd: Error: something odd happened\n$/);
    });
  });
});
