import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readComposeProject } from '../../../src/core/compose/project.js';
import { isBerthError } from '../../../src/core/errors.js';

// What docker-compose 1.29 prints for `config` (short volume syntax) and the plugin (long syntax, name:).
const V1 = `
services:
  api:
    build:
      args: {A: b}
      context: /srv/p/api
      dockerfile: api.Dockerfile
      target: prod
    networks:
      own: {ipv6_address: "2001:db8::5"}
    volumes:
    - /srv/p/data:/data:rw
    - named:/n:rw
    x-berth:
      bind: {web: web-b}
  web:
    image: example/web:1
    network_mode: host
version: '3.9'
`;
const V2 = `
name: proj
services:
  web:
    build: {context: /srv/p/web, args: ["X=1", "Y"]}
    networks: {default: null}
    volumes:
    - {type: bind, source: /srv/p/data, target: /data}
`;

describe('readComposeProject', () => {
  it("reads docker-compose 1.x's config: build, networks with addresses, short volumes, network_mode, x-berth bind", () => {
    const project = readComposeProject(parse(V1));
    assert.equal(project.name, undefined);
    const [api, web] = project.services;
    assert.deepEqual(api?.build, { context: '/srv/p/api', dockerfile: 'api.Dockerfile', target: 'prod', args: { A: 'b' } });
    assert.deepEqual(api?.networks, [{ name: 'own', ipv6: '2001:db8::5' }]);
    assert.deepEqual(api?.mountTargets, ['/data', '/n']);
    assert.deepEqual([...(api?.bind ?? [])], [['web', 'web-b']]);
    assert.equal(web?.image, 'example/web:1');
    assert.equal(web?.networkMode, 'host');
  });

  it("reads the plugin's config: the project name, build args as a list, long volumes", () => {
    const project = readComposeProject(parse(V2));
    assert.equal(project.name, 'proj');
    assert.deepEqual(project.services[0]?.build, { context: '/srv/p/web', args: { X: '1' } });
    assert.deepEqual(project.services[0]?.mountTargets, ['/data']);
  });

  const refusals: readonly (readonly [string, string, RegExp])[] = [
    ['no services', 'networks: {}', /^the merged compose file has no services: mapping/],
    ['an x-berth key berth does not know', 'services: {web: {image: x, x-berth: {bnid: {}}}}', /^service web: x-berth may only hold bind:/],
    ['a bind to something other than a name', 'services: {web: {image: x, x-berth: {bind: {web: [a]}}}}', /^service web: x-berth bind web must name a host entry/],
  ];
  for (const [name, text, message] of refusals) {
    it(`refuses ${name}, exit 125`, () => {
      assert.throws(() => readComposeProject(parse(text)), (caught) => isBerthError(caught) && message.test(caught.message) && caught.exitCode === 125);
    });
  }
});
