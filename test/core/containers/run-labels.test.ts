import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRunLabels, encodeRunLabels, type RunRecord } from '../../../src/core/containers/run-labels.js';

const record: RunRecord = {
  hostFile: '/etc/berth/host.yaml',
  held: [
    { kind: 'address', need: 'webserver', host: 'web-b', network: 'public6', ipv6: '2001:db8:1::8888:21', ipv4: '192.0.2.21', ndpProxy: 'eth0' },
    { kind: 'address', need: '2001:db8:1::8888:30', network: 'public6', ipv6: '2001:db8:1::8888:30' },
    { kind: 'volume', need: 'webpages', host: 'webpages', source: '/srv/www' },
    { kind: 'volume', need: 'cache', host: 'cache', volume: 'web-cache' },
    { kind: 'network', need: 'backend', host: 'backend' },
  ],
};

const good = encodeRunLabels(record);

describe('run labels', () => {
  it('writes the schema, the host file and one label per held need', () => {
    assert.deepEqual(good, {
      'berth.run.schema': '1',
      'berth.run.host-file': '/etc/berth/host.yaml',
      'berth.run.address.webserver': '{"host":"web-b","network":"public6","ipv6":"2001:db8:1::8888:21","ipv4":"192.0.2.21","ndp-proxy":"eth0"}',
      'berth.run.address.2001:db8:1::8888:30': '{"network":"public6","ipv6":"2001:db8:1::8888:30"}',
      'berth.run.volume.webpages': '{"host":"webpages","source":"/srv/www"}',
      'berth.run.volume.cache': '{"host":"cache","volume":"web-cache"}',
      'berth.run.network.backend': '{"host":"backend"}',
    });
  });

  it('reads back what it writes, whatever else the container carries', () => {
    const decoded = decodeRunLabels({ ...good, 'berth.schema': '1', 'berth.need.network.backend': '["network","backend"]', maintainer: 'x' });
    assert.ok(decoded.present);
    assert.deepEqual(decoded.problems, []);
    assert.deepEqual(encodeRunLabels(decoded.record), good);
  });

  it('tells a container berth did not start', () => {
    assert.deepEqual(decodeRunLabels({ 'berth.schema': '1', maintainer: 'x' }), { present: false });
    assert.deepEqual(decodeRunLabels(null), { present: false });
  });

  // Each case: one label changed (or, with undefined, removed), and what the problem says about which key.
  const corrupt: [string, string, string | undefined, RegExp][] = [
    ['an unknown schema', 'berth.run.schema', '2', /^berth\.run\.schema: is "2"/],
    ['no schema', 'berth.run.schema', undefined, /^berth\.run\.schema: is missing/],
    ['no host file', 'berth.run.host-file', undefined, /^berth\.run\.host-file: is missing/],
    ['a relative host file', 'berth.run.host-file', 'host.yaml', /not an absolute path/],
    ['a host file with a newline', 'berth.run.host-file', '/etc/x\n/y', /control characters/],
    ['an unknown kind', 'berth.run.mystery.x', '{}', /^berth\.run\.mystery\.x: is not a label this berth knows/],
    ['a bad need name', 'berth.run.volume.-x', '{"host":"x","source":"/x"}', /not a valid name/],
    ['a non-canonical literal', 'berth.run.address.2001:0db8:1::8888:30', '{"network":"public6","ipv6":"2001:db8:1::8888:30"}', /not a valid name or canonical IP address/],
    ['not JSON', 'berth.run.network.backend', 'backend', /not a JSON object of strings/],
    ['an array', 'berth.run.network.backend', '["backend"]', /not a JSON object of strings/],
    ['a number field', 'berth.run.network.backend', '{"host":1}', /not a JSON object of strings/],
    ['an unknown field', 'berth.run.network.backend', '{"host":"backend","mode":"x"}', /field "mode"/],
    ['no host', 'berth.run.network.backend', '{}', /no "host"/],
    ['a bad host name', 'berth.run.volume.webpages', '{"host":"../etc","source":"/srv/www"}', /host entry "\.\.\/etc"/],
    ['source and volume', 'berth.run.volume.cache', '{"host":"cache","source":"/x","volume":"v"}', /exactly one of "source" and "volume"/],
    ['a relative source', 'berth.run.volume.webpages', '{"host":"webpages","source":"srv"}', /source "srv" is not an absolute path/],
    ['a bad volume name', 'berth.run.volume.cache', '{"host":"cache","volume":"/etc"}', /volume "\/etc" is not a volume name/],
    ['an address without network', 'berth.run.address.webserver', '{"host":"web","ipv6":"2001:db8::1"}', /network is missing/],
    ['an address without addresses', 'berth.run.address.webserver', '{"host":"web","network":"public6"}', /neither "ipv6" nor "ipv4"/],
    ['a non-canonical ipv6', 'berth.run.address.webserver', '{"host":"web","network":"n","ipv6":"2001:DB8::1"}', /not a canonical IPv6/],
    ['an ipv4 as ipv6', 'berth.run.address.webserver', '{"host":"web","network":"n","ipv6":"192.0.2.1"}', /not a canonical IPv6/],
    ['an ipv6 with prefix', 'berth.run.address.webserver', '{"host":"web","network":"n","ipv6":"2001:db8::1/64"}', /not a canonical IPv6/],
    ['a literal held elsewhere', 'berth.run.address.2001:db8:1::8888:30', '{"network":"public6","ipv6":"2001:db8:1::8888:31"}', /does not hold the literal/],
    ['a host entry for a literal', 'berth.run.address.2001:db8:1::8888:30', '{"host":"x","network":"public6","ipv6":"2001:db8:1::8888:30"}', /host entry for a literal/],
    ['a bad interface', 'berth.run.address.webserver', '{"host":"web","network":"n","ipv6":"2001:db8::1","ndp-proxy":"eth0 lo"}', /not an interface name/],
    ['a proxy without ipv6', 'berth.run.address.webserver', '{"host":"web","network":"n","ipv4":"192.0.2.1","ndp-proxy":"eth0"}', /"ndp-proxy" without "ipv6"/],
    ['an overlong value', 'berth.run.network.backend', `{"host":"${'a'.repeat(5000)}"}`, /longer than 4096/],
  ];

  for (const [what, key, value, message] of corrupt) {
    it(`refuses ${what}`, () => {
      const labels: Record<string, string> = { ...good };
      if (value === undefined) delete labels[key];
      else labels[key] = value;
      const decoded = decodeRunLabels(labels);
      assert.ok(decoded.present);
      assert.equal(decoded.problems.length, 1, JSON.stringify(decoded.problems));
      const [problem] = decoded.problems;
      assert.match(`${problem?.key}: ${problem?.message}`, message);
    });
  }

  it('keeps terminal escapes in keys out of messages', () => {
    const decoded = decodeRunLabels({ ...good, 'berth.run.network.\u001b[31mx': '{"host":"x"}' });
    assert.ok(decoded.present);
    assert.doesNotMatch(decoded.problems[0]?.key ?? '', /\u001b/);
  });

  it('reads no more than 256 run labels', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`berth.run.network.n${i}`, '{"host":"x"}']));
    const decoded = decodeRunLabels({ ...good, ...many });
    assert.ok(decoded.present);
    assert.match(decoded.problems[0]?.message ?? '', /at most 256/);
  });
});
