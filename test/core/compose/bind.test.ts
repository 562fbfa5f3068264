import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindNeeds } from '../../../src/core/compose/bind.js';
import { buildServices, dockerBuildOptions } from '../../../src/core/compose/build-args.js';
import { sharedAddresses } from '../../../src/core/compose/conflicts.js';
import type { ComposeService } from '../../../src/core/compose/project.js';
import { analyseDockerfile } from '../../../src/core/dockerfile/analyse.js';
import { needName } from '../../../src/core/needs/need.js';
import type { HostNetwork } from '../../../src/core/host/host-config.js';

const NEEDS = analyseDockerfile('FROM x\nADDRESS web 2001:db8::5\nNEED volume pages /www\nNEED network backend\n', { file: 'Dockerfile' }).needs;
const service = (bind: Record<string, string>): ComposeService => ({ name: 's', networks: [], mountTargets: [], bind: new Map(Object.entries(bind)) });

describe('bindNeeds', () => {
  it('meets each bound need with the host entry named, keeping which by need id', () => {
    const bound = bindNeeds(service({ web: 'web-b', pages: 'pages-b', backend: 'backend-b' }), NEEDS);
    assert.ok(bound.ok);
    assert.deepEqual(bound.needs.map(needName), ['web-b', '2001:db8::5', 'pages-b', 'backend-b']);
    assert.deepEqual([...bound.hosts], [['address.web', 'web-b'], ['volume.pages', 'pages-b'], ['network.backend', 'backend-b']]);
  });
  it('no bind: the needs as they are', () => {
    const bound = bindNeeds(service({}), NEEDS);
    assert.ok(bound.ok);
    assert.deepEqual(bound.needs, NEEDS);
  });
  for (const [name, bind, problem] of [
    ['a name the image does not need', { web: 'a', ghost: 'b' }, 'x-berth bind names "ghost", which its image does not need'],
    ['a literal address', { '2001:db8::5': 'web' }, 'x-berth bind names the literal address 2001:db8::5, which no host entry can stand for'],
  ] as const) {
    it(`refuses ${name}`, () => assert.deepEqual(bindNeeds(service(bind), NEEDS), { ok: false, problem }));
  }
});

describe('compose build arguments', () => {
  const args = ['--no-cache', '--build-arg', 'A=1', '--build-arg=B=2', '-q', '--progress', 'plain', '--pull', 'web', '-m', '1g', 'api'];
  it('the services asked for', () => assert.deepEqual(buildServices(args), ['web', 'api']));
  it('the options docker build has too', () => assert.deepEqual(dockerBuildOptions(args), ['--no-cache', '--build-arg', 'A=1', '--build-arg=B=2', '-q', '--pull']));
});

describe('sharedAddresses', () => {
  const net: HostNetwork = { name: 'public6', options: new Map(), at: { file: 'h', line: 1, column: 1 } };
  const plan = (ipv6: string) => ({ attachments: [{ network: net, ipv6, create: false }], mounts: [], ndp: [] });
  it('names the services that need one address, and nothing else', () => {
    assert.deepEqual(sharedAddresses([{ service: 'a', plan: plan('2001:db8::1') }, { service: 'b', plan: plan('2001:db8::2') }, { service: 'c', plan: plan('2001:db8::1') }]), [
      'services a and c both need 2001:db8::1 on network public6; bind one of them to another address (x-berth: {bind: ...})',
    ]);
  });
});
