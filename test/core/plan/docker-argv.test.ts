import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunArgs } from '../../../src/core/docker-cli/parse-run-args.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import {
  CONTAINER,
  connectAddresses,
  networkConnectArgs,
  networkCreateArgs,
  networkSpec,
  startCommands,
} from '../../../src/core/plan/docker-argv.js';
import type { RunPlan } from '../../../src/core/plan/resolution.js';

const HOST = parseHostConfig(`
networks:
  public6:
    subnet6: 2001:0db8:1::/112
    gateway6: 2001:db8:1::1
    options: { mtu: "1400" }
  backend:
    subnet4: 192.0.2.0/24
`, 'host.yaml').config;

function network(name: string) {
  const found = HOST?.networks.get(name);
  assert.ok(found);
  return found;
}

describe('networkSpec', () => {
  it('gives the host entry in canonical form, as berth creates it', () => {
    assert.deepEqual(networkSpec(network('public6')), {
      name: 'public6', subnet6: '2001:db8:1::/112', gateway6: '2001:db8:1::1', options: { mtu: '1400' },
    });
  });
});

describe('networkCreateArgs', () => {
  it('creates an IPv6 network with its gateway and driver options', () => {
    assert.deepEqual(
      networkCreateArgs({ name: 'public6', subnet6: '2001:db8:1::/112', gateway6: '2001:db8:1::1', options: { mtu: '1400' } }),
      ['network', 'create', '--ipv6', '--subnet', '2001:db8:1::/112', '--gateway', '2001:db8:1::1', '-o', 'mtu=1400', '--', 'public6'],
    );
  });

  it('puts the subnet with a gateway first, since the engines pair gateways with subnets in order', () => {
    assert.deepEqual(
      networkCreateArgs({ name: 'n', subnet6: '2001:db8:1::/112', subnet4: '192.0.2.0/24', gateway4: '192.0.2.1', options: {} }),
      ['network', 'create', '--ipv6', '--subnet', '192.0.2.0/24', '--gateway', '192.0.2.1', '--subnet', '2001:db8:1::/112', '--', 'n'],
    );
  });

  it('leaves out --ipv6 for an IPv4-only network', () => {
    assert.deepEqual(networkCreateArgs({ name: 'n', subnet4: '192.0.2.0/24', options: {} }), [
      'network', 'create', '--subnet', '192.0.2.0/24', '--', 'n',
    ]);
  });
});

describe('networkConnectArgs', () => {
  it('gives the addresses, then the network and the container after --', () => {
    assert.deepEqual(networkConnectArgs('public6', 'web', { ip6: '2001:db8::20', ip: '192.0.2.20' }), [
      'network', 'connect', '--ip6', '2001:db8::20', '--ip', '192.0.2.20', '--', 'public6', 'web',
    ]);
    assert.deepEqual(networkConnectArgs('backend', 'web'), ['network', 'connect', '--', 'backend', 'web']);
  });
});

describe('startCommands', () => {
  const plan: RunPlan = {
    attachments: [
      { network: network('public6'), ipv6: '2001:db8:1::20', create: false },
      { network: network('backend'), ipv4: '192.0.2.20', create: true },
    ],
    mounts: [{ type: 'bind', source: '/srv/www', target: '/var/www', readOnly: true }],
    ndp: [],
  };

  it('runs with one network, berth\'s options before the user\'s', () => {
    const one = startCommands({ ...plan, attachments: plan.attachments.slice(0, 1) }, parseRunArgs(['--rm', 'web', 'true']));
    assert.deepEqual(one, {
      mode: 'run',
      run: ['run', '--network', 'public6', '--ip6', '2001:db8:1::20', '--mount', 'type=bind,source=/srv/www,target=/var/www,ro', '--rm', '--', 'web', 'true'],
    });
  });

  it('creates, connects and starts with several networks', () => {
    const several = startCommands(plan, parseRunArgs(['-i', 'web']));
    assert.equal(several.mode, 'create');
    if (several.mode !== 'create') return;
    assert.deepEqual(several.start, ['start', '--attach', '--interactive', CONTAINER]);
    assert.deepEqual(several.connects.map((a) => networkConnectArgs(a.network.name, CONTAINER, connectAddresses(a))), [
      ['network', 'connect', '--ip', '192.0.2.20', '--', 'backend', CONTAINER],
    ]);
  });

  it('mounts named volumes without copy-up unless the host entry allows it, on podman through -v', () => {
    const volumes: RunPlan = {
      attachments: [],
      mounts: [
        { type: 'volume', source: 'data', target: '/data', readOnly: true },
        { type: 'volume', source: 'cache', target: '/cache', readOnly: false },
        { type: 'volume', source: 'seeded', target: '/seeded', readOnly: true, copyUp: true },
        { type: 'bind', source: '/srv/www', target: '/var/www', readOnly: false },
      ],
      ndp: [],
    };
    const onDocker = startCommands(volumes, parseRunArgs(['web']));
    assert.deepEqual(onDocker.mode === 'run' && onDocker.run.slice(1, 9), [
      '--mount', 'type=volume,source=data,target=/data,ro,volume-nocopy',
      '--mount', 'type=volume,source=cache,target=/cache,volume-nocopy',
      '--mount', 'type=volume,source=seeded,target=/seeded,ro',
      '--mount', 'type=bind,source=/srv/www,target=/var/www',
    ]);
    const onPodman = startCommands(volumes, parseRunArgs(['web']), { noCopyOnlyInVolumeFlag: true });
    assert.deepEqual(onPodman.mode === 'run' && onPodman.run.slice(1, 9), [
      '-v', 'data:/data:ro,nocopy',
      '-v', 'cache:/cache:nocopy',
      '--mount', 'type=volume,source=seeded,target=/seeded,ro',
      '--mount', 'type=bind,source=/srv/www,target=/var/www',
    ]);
  });

  it('puts every network with its addresses in one run where the engine takes that', () => {
    const inline = startCommands(plan, parseRunArgs(['web']), { inlineNetworks: true });
    assert.deepEqual(inline.mode === 'run' && inline.run.slice(0, 5), ['run', '--network', 'public6:ip6=2001:db8:1::20', '--network', 'backend:ip=192.0.2.20']);
  });
});
