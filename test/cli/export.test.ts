import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeLabels } from '../../src/core/labels.js';
import { TWO_NODES, fixtureImage } from '../core/export/two-nodes.js';
import { REPO_ROOT } from '../helpers/berth.js';
import { assertRefused, fakeEngineCli, runMain, type FakeEngineCli } from '../helpers/cli.js';

const COMPOSE = join(REPO_ROOT, 'fixtures/export/compose');
const THIS_HOST = join(COMPOSE, 'host.yaml');
const NODES = ['--host-config', `node-a=${join(TWO_NODES, 'node-a.yaml')}`, '--host-config', `node-b=${join(TWO_NODES, 'node-b.yaml')}`];

// The golden files name the host files as the unit tests read them, by base name.
function golden(file: string): string {
  return readFileSync(join(TWO_NODES, file), 'utf8');
}

describe('berth export', () => {
  let fake: FakeEngineCli;
  before(async () => {
    const images: Record<string, string> = {
      'example/web:1': JSON.stringify([{ Id: 'sha256:01', RepoTags: ['example/web:1'], RepoDigests: [], Config: { Labels: encodeLabels(fixtureImage('example/web:1', 'Dockerfile').needs) } }]),
      'example/worker:1': JSON.stringify([{ Id: 'sha256:02', RepoTags: ['example/worker:1'], RepoDigests: [], Config: { Labels: encodeLabels(fixtureImage('example/worker:1', 'worker.Dockerfile').needs) } }]),
      'example/web:2': JSON.stringify([{ Id: 'sha256:05', RepoTags: ['example/web:2'], RepoDigests: [], Config: { Labels: encodeLabels(fixtureImage('example/web:2', 'Dockerfile').needs) } }]),
      'example/other:1': JSON.stringify([{ Id: 'sha256:03', RepoTags: ['example/other:1'], RepoDigests: [], Config: { Labels: encodeLabels(fixtureImage('example/other:1', 'Dockerfile').needs) } }]),
      'example/api:1': JSON.stringify([{ Id: 'sha256:06', RepoTags: ['example/api:1'], RepoDigests: [], Config: { Labels: encodeLabels(fixtureImage('example/api:1', 'api.Dockerfile', COMPOSE).needs) } }]),
      'example/bad:1': JSON.stringify([{ Id: 'sha256:04', Config: { Labels: { 'berth.schema': '1', 'berth.need.volume.x': '["volume","x","relative"]' } } }]),
    };
    const cases = Object.entries(images).map(([ref, json]) => `[ "$1 $2 $3 $4" = "image inspect -- ${ref}" ] && { echo '${json}'; exit 0; }`).join('\n');
    fake = await fakeEngineCli(`${cases}\n[ "$1" = version ] && exit 0\nexit 1`);
  });
  after(() => fake.remove());

  it('--to kubernetes: prints the objects for the images on the nodes, exit 0', async () => {
    const result = await runMain(['export', '--to', 'kubernetes', 'example/web:1', 'example/worker:1', ...NODES], fake.env);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout.replaceAll(`${TWO_NODES}/`, ''), golden('expected.yaml'));
  });

  it('--ip-annotation calico and --labels-only (which needs no image)', async () => {
    const calico = await runMain(['export', '--to', 'kubernetes', '--ip-annotation', 'calico', 'example/web:1', 'example/worker:1', ...NODES], fake.env);
    assert.equal(calico.exitCode, 0, calico.stderr);
    assert.equal(calico.stdout.replaceAll(`${TWO_NODES}/`, ''), golden('expected-calico.yaml'));
    const labels = await runMain(['export', '--to', 'kubernetes', '--labels-only', ...NODES]);
    assert.equal(labels.exitCode, 0, labels.stderr);
    assert.equal(labels.stdout.replaceAll(`${TWO_NODES}/`, ''), golden('expected-labels.sh'));
  });

  it('an image no node can run: exit 1, every node\'s reasons, nothing on stdout', async () => {
    const result = await runMain(['export', '--to', 'kubernetes', 'example/web:1', 'example/other:1', ...NODES], fake.env);
    assertRefused(result, 1, /^berth: no node can run example\/other:1:\nberth: {3}node node-a: address "webserver" may only be claimed by images matching "example\/web:\*", and example\/other:1 does not; run an allowed image, or add a pattern to images: of webserver in .*node-a\.yaml\nberth: {3}node node-b: address "webserver" is not declared under addresses: in .*node-b\.yaml; declare it there \(an export runs no providers\)\nberth: nothing was exported\n$/);
    assert.equal(result.stdout, '');
  });

  it('one image named twice is one Deployment', async () => {
    const result = await runMain(['export', '--to', 'kubernetes', 'example/web:1', 'example/web:1', ...NODES], fake.env);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout.match(/^kind: Deployment$/gm)?.length, 1);
  });

  it('two images that need one address: exit 1, both named, nothing on stdout', async () => {
    const result = await runMain(['export', '--to', 'kubernetes', 'example/web:1', 'example/web:2', ...NODES], fake.env);
    assertRefused(result, 1, /^berth: example\/web:1 and example\/web:2 both need 2001:db8:1::8888:20 on network public6, which one pod at a time can hold; export them separately, or give one of them another address\nberth: nothing was exported\n$/);
    assert.equal(result.stdout, '');
  });

  it('--to compose: the services on this host, the host file from --host-config, else $BERTH_HOST_CONFIG', async () => {
    const given = await runMain(['export', '--to', 'compose', 'example/api:1', '--host-config', THIS_HOST], fake.env);
    assert.equal(given.exitCode, 0, given.stderr);
    assert.equal(given.stderr, '');
    assert.match(given.stdout, /^# berth export --to compose: 1 image, needs met by \/.*\/fixtures\/export\/compose\/host\.yaml\n/);
    assert.match(given.stdout, /^ {6}dual:\n {8}ipv6_address: 2001:db8:2::5\n {8}ipv4_address: 192\.0\.2\.5$/m);
    const fromEnv = await runMain(['export', '--to', 'compose', 'example/api:1'], { ...fake.env, BERTH_HOST_CONFIG: THIS_HOST });
    assert.equal(fromEnv.exitCode, 0, fromEnv.stderr);
    assert.equal(fromEnv.stdout, given.stdout);
  });

  it('--to compose: an image this host cannot run: exit 1, each unmet need, nothing on stdout', async () => {
    const result = await runMain(['export', '--to', 'compose', 'example/api:1', 'example/web:1', '--host-config', join(TWO_NODES, 'node-b.yaml')], fake.env);
    assertRefused(result, 1, /^berth: this host cannot run example\/api:1:\nberth: {3}address "api" is not declared under addresses: in .*node-b\.yaml; declare it there \(an export runs no providers\)\nberth: {3}volume "cache" is not declared .*\nberth: {3}volume "seed" is not declared .*\nberth: this host cannot run example\/web:1:\nberth: {3}address "webserver" is not declared .*\nberth: nothing was exported\n$/);
    assert.equal(result.stdout, '');
  });

  const refusals: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['an unknown format', ['--to', 'swarm', 'example/web:1', ...NODES], /^berth: unknown export format "swarm": use compose or kubernetes\n$/],
    ['a kubernetes option for compose', ['--to', 'compose', '--ip-annotation', 'calico', 'example/web:1', '--host-config', THIS_HOST], /^berth: --ip-annotation does not apply to --to compose\n$/],
    ['two host files for compose', ['--to', 'compose', 'example/web:1', '--host-config', THIS_HOST, '--host-config', THIS_HOST], /^berth: --to compose writes for one host: give one --host-config FILE\n$/],
    ['no --to', ['example/web:1', ...NODES], /^berth: required option '--to <format>' not specified\n$/],
    ['an unknown --ip-annotation', ['--to', 'kubernetes', '--ip-annotation', 'weave', 'example/web:1', ...NODES], /^berth: cannot export to kubernetes:\nberth: --ip-annotation must be multus or calico, not "weave"\n$/],
    ['no image', ['--to', 'kubernetes', ...NODES], /^berth: name at least one IMAGE to export\n$/],
    ['no node', ['--to', 'kubernetes', 'example/web:1'], /^berth: give each node a host file: --host-config NODE=FILE \(once per node\)\n$/],
    ['a host file without its node', ['--to', 'kubernetes', 'example/web:1', '--host-config', join(TWO_NODES, 'node-a.yaml')], /^berth: --host-config \/.*node-a\.yaml: write NODE=FILE/],
    ['a node name Kubernetes refuses', ['--to', 'kubernetes', 'example/web:1', '--host-config', `Node_A=${join(TWO_NODES, 'node-a.yaml')}`], /^berth: --host-config Node_A=.*: "Node_A" is not a Kubernetes node name/],
    ['one node twice', ['--to', 'kubernetes', 'example/web:1', ...NODES, '--host-config', `node-a=${join(TWO_NODES, 'node-b.yaml')}`], /^berth: node node-a is given two host files; give each node one\nberth: nothing was exported\n$/],
    ['a missing host file', ['--to', 'kubernetes', 'example/web:1', '--host-config', 'node-a=/nonexistent/host.yaml'], /^berth: cannot read host file \/nonexistent\/host\.yaml: .*\nberth: nothing was exported\n$/],
    ['an image that is not there', ['--to', 'kubernetes', 'example/gone:1', ...NODES], /^berth: image example\/gone:1 not found locally/],
    ['an image with a bad label', ['--to', 'kubernetes', 'example/bad:1', ...NODES], /^berth: example\/bad:1 has berth labels that cannot be read:\nberth: {3}label berth\.need\.volume\.x /],
  ];
  for (const [name, args, message] of refusals) {
    it(`refuses ${name}: exit 1, nothing on stdout`, async () => {
      const result = await runMain(['export', ...args], fake.env);
      assertRefused(result, 1, message);
      assert.equal(result.stdout, '');
    });
  }

  it('says in --help how to call it', async () => {
    const result = await runMain(['export', '--help']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^Usage: berth export --to kubernetes IMAGE\.\.\. --host-config NODE=FILE .* \| --to compose IMAGE\.\.\. \[--host-config FILE\]/);
    assert.match(result.stdout, /--ip-annotation <kind>/);
  });
});
