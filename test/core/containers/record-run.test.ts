import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBindings, parseBinding } from '../../../src/core/containers/bindings.js';
import { recordRun } from '../../../src/core/containers/record-run.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import type { HostConfig } from '../../../src/core/host/host-config.js';
import { needKind } from '../../../src/core/needs/kinds/index.js';
import type { Need } from '../../../src/core/needs/need.js';
import type { RunPlan } from '../../../src/core/plan/resolution.js';

const HOST = `
networks:
  public6:
    subnet6: 2001:db8:1::8888:0/112
    subnet4: 192.0.2.0/24
    ndp-proxy: eth0
  backend:
    subnet6: 2001:db8:2::/64
addresses:
  web:
    network: public6
    ipv6: 2001:db8:1::8888:20
    ipv4: 192.0.2.20
  web-b:
    network: public6
    ipv6: 2001:db8:1::8888:21
volumes:
  webpages:
    source: /srv/www
  cache:
    volume: web-cache
`;

function host(): HostConfig {
  const result = parseHostConfig(HOST, '/etc/berth/host.yaml');
  assert.ok(result.config, JSON.stringify(result.problems));
  return result.config;
}

function need(kind: string, ...args: string[]): Need {
  const result = needKind(kind)?.parse(args, { source: 'label', key: 'x' });
  assert.ok(result?.ok);
  return result.need;
}

describe('recordRun', () => {
  const config = host();
  const network = (name: string) => {
    const found = config.networks.get(name);
    assert.ok(found);
    return found;
  };
  const needs = [need('address', 'web'), need('address', '2001:db8:1::8888:30'), need('volume', 'webpages', '/var/www'), need('volume', 'cache', '/cache', 'ro'), need('network', 'backend')];
  const plan: RunPlan = {
    attachments: [
      { network: network('public6'), ipv6: '2001:db8:1::8888:20', ipv4: '192.0.2.20', create: false },
      { network: network('backend'), create: true },
    ],
    mounts: [
      { type: 'bind', source: '/srv/www', target: '/var/www', readOnly: false },
      { type: 'volume', source: 'web-cache', target: '/cache', readOnly: true },
    ],
    ndp: [{ address: '2001:db8:1::8888:20', iface: 'eth0' }],
  };

  it('records each need with the host entry that met it and what that gave', () => {
    // The literal is not in the plan: a need the plan does not carry out holds nothing.
    assert.deepEqual(recordRun('/etc/berth/host.yaml', needs, config, plan), {
      hostFile: '/etc/berth/host.yaml',
      held: [
        { kind: 'address', need: 'web', host: 'web', network: 'public6', ipv6: '2001:db8:1::8888:20', ipv4: '192.0.2.20', ndpProxy: 'eth0' },
        { kind: 'volume', need: 'webpages', host: 'webpages', source: '/srv/www' },
        { kind: 'volume', need: 'cache', host: 'cache', volume: 'web-cache' },
        { kind: 'network', need: 'backend', host: 'backend' },
      ],
    });
  });

  it('records a literal address on the network the plan put it on', () => {
    const literal: RunPlan = { attachments: [{ network: network('public6'), ipv6: '2001:db8:1::8888:30', create: false }], mounts: [], ndp: [] };
    assert.deepEqual(recordRun('/h.yaml', [need('address', '2001:db8:1::8888:30/112')], config, literal).held, [
      { kind: 'address', need: '2001:db8:1::8888:30', network: 'public6', ipv6: '2001:db8:1::8888:30' },
    ]);
  });

  it('records a bound need under the image\'s name, with the host entry it was bound to', () => {
    const bound = applyBindings([need('address', 'web')], [{ name: 'web', host: 'web-b' }]);
    assert.deepEqual(bound.problems, []);
    const boundPlan: RunPlan = { attachments: [{ network: network('public6'), ipv6: '2001:db8:1::8888:21', create: false }], mounts: [], ndp: [{ address: '2001:db8:1::8888:21', iface: 'eth0' }] };
    assert.deepEqual(recordRun('/h.yaml', [need('address', 'web')], config, boundPlan, bound.hosts).held, [
      { kind: 'address', need: 'web', host: 'web-b', network: 'public6', ipv6: '2001:db8:1::8888:21', ndpProxy: 'eth0' },
    ]);
  });

  it('records nothing for needs the user\'s own options overrode', () => {
    assert.deepEqual(recordRun('/h.yaml', needs, config, { attachments: [], mounts: [], ndp: [] }).held, []);
  });
});

describe('bindings', () => {
  const parsed: [string, ReturnType<typeof parseBinding>][] = [
    ['web=web-b', { ok: true, binding: { name: 'web', host: 'web-b' } }],
    ['address.web=web-b', { ok: true, binding: { kind: 'address', name: 'web', host: 'web-b' } }],
    ['volume.www.example=pages-b', { ok: true, binding: { kind: 'volume', name: 'www.example', host: 'pages-b' } }],
    ['www.example=pages-b', { ok: true, binding: { name: 'www.example', host: 'pages-b' } }],
  ];
  for (const [text, expected] of parsed) {
    it(`reads --bind ${text}`, () => assert.deepEqual(parseBinding(text), expected));
  }

  const refused: [string, RegExp][] = [
    ['web', /\[KIND\.\]NAME=HOST-NAME/],
    ['web=', /host name is empty/],
    ['=web', /need name is empty/],
    ['web=/etc/passwd', /host name "\/etc\/passwd" is not a valid name/],
    ['-x=y', /need name "-x" is not a valid name/],
  ];
  for (const [text, message] of refused) {
    it(`refuses --bind ${JSON.stringify(text)}`, () => {
      const result = parseBinding(text);
      assert.ok(!result.ok);
      assert.match(result.message, message);
    });
  }

  const needs = [need('address', 'web'), need('volume', 'web', '/www'), need('network', 'backend'), need('address', '2001:db8::20')];

  it('moves a need to another host entry, keeping the others', () => {
    const bound = applyBindings(needs, [{ kind: 'address', name: 'web', host: 'web-b' }, { name: 'backend', host: 'backend-b' }]);
    assert.deepEqual(bound.problems, []);
    assert.deepEqual([...bound.hosts], [['address.web', 'web-b'], ['network.backend', 'backend-b']]);
    assert.deepEqual(bound.needs.map((n) => (n.kind === 'address' ? (n.ref.type === 'name' ? n.ref.name : n.ref.address) : n.name)), ['web-b', 'web', 'backend-b', '2001:db8::20']);
  });

  const problems: [string, { kind?: 'address' | 'volume' | 'network'; name: string; host: string }[], RegExp][] = [
    ['a name the image does not need', [{ name: 'mail', host: 'x' }], /has no named need mail/],
    ['a name two kinds share', [{ name: 'web', host: 'x' }], /several needs named web \(address, volume\); write KIND\.web/],
    ['a literal address', [{ name: '2001:db8::20', host: 'x' }], /has no named need/],
    ['one need twice', [{ name: 'backend', host: 'x' }, { kind: 'network', name: 'backend', host: 'y' }], /network\.backend is bound twice/],
  ];
  for (const [what, bindings, message] of problems) {
    it(`refuses ${what}`, () => {
      const bound = applyBindings(needs, bindings);
      assert.equal(bound.problems.length, 1, bound.problems.join('\n'));
      assert.match(bound.problems[0] ?? '', message);
    });
  }
});
