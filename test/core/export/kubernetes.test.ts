import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { Node } from 'kubernetes-models/v1/Node';
import { PersistentVolume } from 'kubernetes-models/v1/PersistentVolume';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { parseAllDocuments } from 'yaml';
import { analyseDockerfile } from '../../../src/core/dockerfile/analyse.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import type { ExportOptions } from '../../../src/core/export/format.js';
import { objectProblems } from '../../../src/core/export/kubernetes/checks.js';
import { kubernetesDocuments, kubernetesFormat } from '../../../src/core/export/kubernetes/format.js';
import type { KubeObject } from '../../../src/core/export/kubernetes/objects.js';
import { placeImages } from '../../../src/core/export/placement.js';
import { fixtureImage, fixtureNode, images, nodes, TWO_NODES } from './two-nodes.js';

// BERTH_UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
const update = process.env['BERTH_UPDATE_GOLDEN'] === '1';

function render(options: ExportOptions): string {
  const all = nodes();
  const result = kubernetesFormat.render({ placed: placeImages(images(), all).placed, nodes: all }, options);
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.text;
}

function golden(file: string, text: string): void {
  const path = join(TWO_NODES, file);
  if (update) writeFileSync(path, text);
  assert.equal(text, readFileSync(path, 'utf8'));
}

// kubernetes-models validates each object against the Kubernetes OpenAPI schema, offline; Multus's
// NetworkAttachmentDefinition is not in it, so its metadata is validated and its CNI config read.
function validate(object: KubeObject): void {
  const data = object as never;
  switch (object.kind) {
    case 'Deployment': new Deployment(data).validate(); break;
    case 'PersistentVolume': new PersistentVolume(data).validate(); break;
    case 'PersistentVolumeClaim': new PersistentVolumeClaim(data).validate(); break;
    case 'StorageClass': new StorageClass(data).validate(); break;
    case 'Node': new Node(data).validate(); break;
    case 'NetworkAttachmentDefinition': {
      new ObjectMeta(object.metadata).validate();
      const config = JSON.parse((object['spec'] as { config: string }).config) as Record<string, unknown>;
      assert.deepEqual(config['capabilities'], { ips: true });
      assert.equal((config['ipam'] as Record<string, unknown>)['type'], 'static');
      break;
    }
    default: assert.fail(`no validator for ${object.kind}`);
  }
}

describe('berth export --to kubernetes, two nodes', () => {
  for (const [file, options] of [['expected.yaml', {}], ['expected-calico.yaml', { ipAnnotation: 'calico' }], ['expected-labels.sh', { labelsOnly: true }]] as const) {
    it(`prints ${file}`, () => golden(file, render(options)));
  }

  for (const mode of ['multus', 'calico']) {
    it(`makes only objects Kubernetes accepts (${mode})`, () => {
      const all = nodes();
      const built = kubernetesDocuments({ placed: placeImages(images(), all).placed, nodes: all }, { ipAnnotation: mode });
      assert.ok(built.ok);
      const kinds = built.documents.map((d) => d.object.kind);
      for (const kind of ['StorageClass', 'Node', 'PersistentVolume', 'NetworkAttachmentDefinition', 'PersistentVolumeClaim', 'Deployment']) assert.ok(kinds.includes(kind), kind);
      for (const { object } of built.documents) {
        validate(object);
        assert.deepEqual(objectProblems(object), [], `${object.kind} ${object.metadata.name}`);
      }
    });
  }

  it('prints YAML that reads back as the same objects', () => {
    const all = nodes();
    const built = kubernetesDocuments({ placed: placeImages(images(), all).placed, nodes: all }, {});
    assert.ok(built.ok);
    const read = parseAllDocuments(render({})).map((doc) => doc.toJS() as unknown);
    assert.deepEqual(read, built.documents.map((d) => d.object));
  });

  it('runs the image with the named address only where that node offers it to the image, and the other on both', () => {
    const placed = placeImages(images(), nodes()).placed;
    assert.deepEqual(placed.map((p) => [p.image.identity.ref, p.nodes.map((n) => n.name)]), [
      ['example/web:1', ['node-a']],
      ['example/worker:1', ['node-a', 'node-b']],
    ]);
  });
});

describe('images no node can run', () => {
  it('lists every need each node fails', () => {
    const result = placeImages([fixtureImage('example/other:1', 'Dockerfile'), ...images()], nodes());
    assert.deepEqual(result.placed.map((p) => p.image.identity.ref), ['example/web:1', 'example/worker:1']);
    assert.deepEqual(result.unplaceable.map((u) => [u.image.identity.ref, u.misses.map((m) => [m.node, m.need.kind])]), [
      ['example/other:1', [['node-a', 'address'], ['node-b', 'address']]],
    ]);
    const [first, second] = result.unplaceable[0]?.misses ?? [];
    assert.match(first?.problem ?? '', /may only be claimed by images matching "example\/web:\*"/);
    assert.match(second?.problem ?? '', /not declared under addresses: in node-b\.yaml/);
  });
});

describe('names Kubernetes does not take as they are', () => {
  it('are encoded everywhere, every object stays valid, and each carries the name', () => {
    const volume = `Web_Pages.${'x'.repeat(54)}`;
    const host = parseHostConfig([
      'networks:', '  Backend_Net:', '    subnet6: 2001:db8:2::/112',
      'addresses:', '  Web.Server:', '    network: Backend_Net', '    ipv6: 2001:db8:2::20',
      'volumes:', `  ${volume}:`, '    source: /srv/x',
    ].join('\n'), 'odd.yaml');
    assert.ok(host.config, JSON.stringify(host.problems));
    const node = { name: 'node-1.example.org', host: host.config };
    const analysis = analyseDockerfile(`FROM x\nADDRESS Web.Server 2001:db8:2::20\nNEED volume ${volume} /data\n`, { file: 'Dockerfile' });
    assert.deepEqual(analysis.problems.filter((p) => p.severity === 'error'), []);
    const result = placeImages([{ identity: { ref: 'Registry.example.com:5000/Team/Odd_Image:1', digests: [] }, needs: analysis.needs }], [node]);
    assert.deepEqual(result.unplaceable, []);
    const built = kubernetesDocuments({ placed: result.placed, nodes: [node] }, {});
    assert.ok(built.ok, built.ok ? '' : built.problems.join('\n'));
    for (const { object } of built.documents) {
      validate(object);
      assert.deepEqual(objectProblems(object), [], `${object.kind} ${object.metadata.name}`);
    }
    const names = Object.fromEntries(built.documents.map(({ object }) => [object.kind, object.metadata]));
    assert.equal(names['Deployment']?.name, 'odd-image');
    assert.equal(names['NetworkAttachmentDefinition']?.name, 'b---backend-2-net');
    assert.equal(names['NetworkAttachmentDefinition']?.annotations?.['berth/name'], 'Backend_Net');
    assert.match(names['PersistentVolumeClaim']?.name ?? '', /^odd-image\.h---web-2-pages-1x+-[0-9a-f]{8}$/);
    assert.equal(names['PersistentVolumeClaim']?.annotations?.['berth/name'], volume);
    const hashedKey = `volume.berth/${names['PersistentVolumeClaim']?.name.slice('odd-image.'.length)}`;
    assert.deepEqual(Object.keys(names['Node']?.labels ?? {}), ['network.berth/b---backend-2-net', 'address.berth/b---web-1-server', hashedKey]);
    assert.deepEqual(names['Node']?.annotations, { [hashedKey]: volume });
    const script = kubernetesFormat.render({ placed: result.placed, nodes: [node] }, { labelsOnly: true });
    assert.ok(script.ok);
    assert.match(script.text, new RegExp(`^kubectl annotate node node-1\\.example\\.org --overwrite ${hashedKey.replaceAll('.', '\\.')}=${volume.replaceAll('.', '\\.')}$`, 'm'));
  });
});

describe('comments', () => {
  it('keep a host file path with a newline on one line, in the YAML and in the label script', () => {
    const [a] = nodes();
    assert.ok(a);
    const node = { ...a, host: { ...a.host, file: '/etc/berth/x\nkind: Secret\n' } };
    const yaml = kubernetesFormat.render({ placed: [], nodes: [node] }, {});
    assert.ok(yaml.ok);
    assert.match(yaml.text, /^# node node-a \(\/etc\/berth\/x\\x0akind: Secret\\x0a\)$/m);
    assert.doesNotMatch(yaml.text, /^kind: Secret/m);
    const script = kubernetesFormat.render({ placed: [], nodes: [node] }, { labelsOnly: true });
    assert.ok(script.ok);
    assert.match(script.text, /^# node-a: \/etc\/berth\/x\\x0akind: Secret\\x0a$/m);
  });
});

describe('an address two images need', () => {
  it('is refused, naming both: one pod at a time can hold it', () => {
    const result = placeImages([...images(), fixtureImage('example/web:2', 'Dockerfile')], nodes());
    assert.deepEqual(result.shared, ['example/web:1 and example/web:2 both need 2001:db8:1::8888:20 on network public6, which one pod at a time can hold; export them separately, or give one of them another address']);
    assert.deepEqual(placeImages(images(), nodes()).shared, []);
  });
});

describe('what Kubernetes cannot express', () => {
  it('refuses a network two nodes declare with different subnets', () => {
    const other = fixtureNode('node-c', 'node-a.yaml');
    const changed = { ...other, host: { ...other.host, networks: new Map([...other.host.networks].map(([name, net]) => [name, name === 'backend' ? { ...net, gateway4: '198.51.100.9' } : net])) } };
    const built = kubernetesDocuments({ placed: [], nodes: [...nodes(), changed] }, {});
    assert.equal(built.ok, false);
    assert.match(built.ok ? '' : built.problems.join('\n'), /network backend is declared with other subnets or gateways in node-a\.yaml \(node node-c\)/);
  });

  it('refuses Calico for a pod with two IPv6 addresses', () => {
    const all = nodes();
    const placed = placeImages(images(), all).placed;
    const [web] = placed;
    assert.ok(web);
    const twice = { ...web, parts: [...web.parts, { type: 'attach' as const, network: all[0]!.host.networks.get('public6')!, addresses: [{ family: 6 as const, address: '2001:db8:1::8888:21' }] }] };
    const result = kubernetesFormat.render({ placed: [twice], nodes: all }, { ipAnnotation: 'calico' });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.problems.join('\n'), /Calico gives a pod at most one IPv6 and one IPv4 address/);
    assert.equal(kubernetesFormat.render({ placed: [], nodes: all }, { ipAnnotation: 'weave' }).ok, false);
  });
});

describe('berth checks names and label keys', () => {
  const cases: readonly (readonly [string, KubeObject, RegExp])[] = [
    ['a name with a capital', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'Web' } }, /not a DNS-1123 subdomain/],
    ['a Deployment name with a dot', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a.b' } }, /not a DNS-1123 label/],
    ['a label key with a colon', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { 'address.berth/2001:db8::20': 'x' } } }, /not a valid label key/],
    ['a label value too long', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { a: 'x'.repeat(64) } } }, /not a valid label value/],
    ['an annotation key with two slashes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', annotations: { 'a/b/c': '' } } }, /not a valid annotation key/],
    ['a selector key with a colon', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { affinity: { matchExpressions: [{ key: 'a:b', operator: 'In', values: ['x'] }] } } }, /matchExpressions: "a:b" is not a valid label key/],
    ['a container name with an underscore', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { containers: [{ name: 'a_b' }] } }, /containers\.name: "a_b"/],
  ];
  for (const [name, object, expected] of cases) {
    it(`finds ${name}`, () => assert.match(objectProblems(object).join('\n'), expected));
  }
});
