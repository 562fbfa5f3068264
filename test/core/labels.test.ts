import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLabels, encodeLabels } from '../../src/core/labels.js';
import { needKind } from '../../src/core/needs/kinds/index.js';
import type { Need } from '../../src/core/needs/need.js';

function need(kind: string, ...args: string[]): Need {
  const result = needKind(kind)?.parse(args, { source: 'label', key: 'x' });
  assert.ok(result?.ok);
  return result.need;
}

const needs = [
  need('address', 'webserver'),
  need('address', '2001:db8:1::8888:20/112'),
  need('volume', 'webpages', '/var/www'),
  need('volume', 'cache', '/srv/my site', 'ro'),
  need('network', 'backend'),
];

describe('labels', () => {
  it('writes one label per need plus the schema label', () => {
    assert.deepEqual(encodeLabels(needs), {
      'berth.schema': '1',
      'berth.need.address.webserver': '["address","webserver"]',
      'berth.need.address.2001:db8:1::8888:20': '["address","2001:db8:1::8888:20/112"]',
      'berth.need.volume.webpages': '["volume","webpages","/var/www"]',
      'berth.need.volume.cache': '["volume","cache","/srv/my site","ro"]',
      'berth.need.network.backend': '["network","backend"]',
    });
  });

  it('reads back what it writes, with where each need was declared', () => {
    const labels = encodeLabels(needs, (n) => (n.kind === 'volume' ? 'example/web Dockerfile:3' : undefined));
    const decoded = decodeLabels({ ...labels, 'maintainer': 'someone', 'org.opencontainers.image.title': 'x' });
    assert.deepEqual(decoded.problems, []);
    assert.equal(decoded.present, true);
    assert.deepEqual(encodeLabels(decoded.needs), encodeLabels(needs));
    const cache = decoded.needs.find((n) => n.kind === 'volume' && n.name === 'cache');
    assert.deepEqual(cache?.origin, { source: 'label', key: 'berth.need.volume.cache', declaredAt: 'example/web Dockerfile:3' });
  });

  it('ignores images without berth labels', () => {
    assert.deepEqual(decodeLabels({ maintainer: 'x' }), { needs: [], problems: [], present: false });
    assert.deepEqual(decodeLabels(null), { needs: [], problems: [], present: false });
  });

  const hostile: [string, Record<string, string>, string, RegExp][] = [
    ['a host path as volume name', { 'berth.need.volume./etc': '["volume","/etc","/x"]' }, 'berth.need.volume./etc', /not a valid name/],
    ['a mount option in the target', { 'berth.need.volume.web': '["volume","web","/x,readonly=false"]' }, 'berth.need.volume.web', /","/],
    ['a bind source in the target', { 'berth.need.volume.web': '["volume","web","/host:/x"]' }, 'berth.need.volume.web', /":"/],
    ['a newline in the target', { 'berth.need.volume.web': '["volume","web","/x\\n--privileged"]' }, 'berth.need.volume.web', /newline/],
    ['shell metacharacters in a name', { 'berth.need.network.$(reboot)': '["network","$(reboot)"]' }, 'berth.need.network.$(reboot)', /not a valid name/],
    ['a value that is not JSON', { 'berth.need.volume.web': 'web /x' }, 'berth.need.volume.web', /not a JSON array/],
    ['a JSON object', { 'berth.need.volume.web': '{"name":"web"}' }, 'berth.need.volume.web', /not a JSON array/],
    ['an unknown kind', { 'berth.need.device.gpu': '["device","gpu"]' }, 'berth.need.device.gpu', /unknown kind/],
    ['a key that does not match its value', { 'berth.need.volume.web': '["volume","other","/x"]' }, 'berth.need.volume.web', /belongs under key berth.need.volume.other/],
    ['a non-canonical address key', { 'berth.need.address.2001:0db8::1': '["address","2001:0db8::1"]' }, 'berth.need.address.2001:0db8::1', /belongs under key berth.need.address.2001:db8::1/],
    ['an oversized value', { 'berth.need.volume.web': `["volume","web","/${'a'.repeat(5000)}"]` }, 'berth.need.volume.web', /longer than 4096/],
    ['an unknown berth key', { 'berth.run.privileged': 'true' }, 'berth.run.privileged', /not a label this berth knows/],
    ['an origin for no need', { 'berth.origin.volume.web': 'x' }, 'berth.origin.volume.web', /names no need/],
  ];
  for (const [what, labels, key, message] of hostile) {
    it(`refuses ${what}, naming the label`, () => {
      const decoded = decodeLabels({ 'berth.schema': '1', ...labels });
      const problem = decoded.problems.find((p) => p.key === key);
      assert.ok(problem, JSON.stringify(decoded.problems));
      assert.match(problem.message, message);
      assert.equal(decoded.needs.some((n) => n.kind === 'volume' && n.name === '/etc'), false);
    });
  }

  it('refuses an unknown or missing schema version', () => {
    const newer = decodeLabels({ 'berth.schema': '2', 'berth.need.network.a': '["network","a"]' });
    assert.deepEqual(newer.needs, []);
    assert.match(newer.problems[0]?.message ?? '', /reads schema 1/);
    const missing = decodeLabels({ 'berth.need.network.a': '["network","a"]' });
    assert.equal(missing.problems[0]?.key, 'berth.schema');
  });

  it('refuses an image with too many berth labels', () => {
    const many: Record<string, string> = { 'berth.schema': '1' };
    for (let i = 0; i < 300; i++) many[`berth.need.network.n${i}`] = `["network","n${i}"]`;
    assert.match(decodeLabels(many).problems[0]?.message ?? '', /at most 256/);
  });
});
