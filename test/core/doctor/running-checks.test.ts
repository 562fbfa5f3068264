import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerView } from '../../../src/core/containers/container-view.js';
import type { ReconcilePlan } from '../../../src/core/containers/reconcile-plan.js';
import { runningChecks, skippedRunningChecks } from '../../../src/core/doctor/running-checks.js';

const view = (name: string, state: string): ContainerView => ({
  container: { id: name, name, state, image: 'web:1', restartPolicy: 'no', labels: {}, networks: [], mounts: [] },
  record: { hostFile: '/h.yaml', held: [] },
  problems: [],
  sameHostFile: true,
  holdings: [],
  drift: [],
});

describe('runningChecks', () => {
  it('passes when reconcile would change nothing', () => {
    const checks = runningChecks([view('web', 'running'), view('old', 'exited')], { actions: [], findings: [] });
    assert.deepEqual(checks.map((c) => [c.title, c.ok, c.detail]), [
      ['berth containers', true, '2 from this host file, 1 running'],
      ['proxy entries', true, 'every container address that needs one has one, and none is stale'],
      ['container resources', true, 'the networks and volume sources of the containers are there'],
      ['drift', true, 'the containers hold what the host file says'],
    ]);
  });

  it('fails each check with what reconcile would do, or the finding and its fix', () => {
    const plan: ReconcilePlan = {
      actions: [
        { type: 'add-proxy', address: '2001:db8::20', iface: 'eth0', for: ['web'] },
        { type: 'remove-proxy', address: '2001:db8::99', iface: 'eth0' },
        { type: 'create-network', network: 'public6', for: ['web'] },
      ],
      findings: [
        { type: 'untrusted', container: 'forged', problem: 'its berth labels cannot be trusted: x', fix: 'f1' },
        { type: 'stale', container: 'old', problem: "it points at a removed network's id for public6 (abc)", fix: 'reattach old' },
        { type: 'drift', container: 'web', problem: 'address web is now 2001:db8::21', fix: 'f3' },
      ],
    };
    const checks = runningChecks([view('web', 'running')], plan);
    assert.deepEqual(checks.map((c) => [c.title, c.ok, c.lines, c.fix]), [
      ['berth containers', false, ['forged: its berth labels cannot be trusted: x'], 'remove them (docker rm NAME) and start them again with berth run'],
      ['proxy entries', false, ['missing: 2001:db8::20 on eth0 (web)', 'stale: 2001:db8::99 on eth0 (no container holds it)'], 'berth reconcile'],
      ['container resources', false, ['network public6 is gone (web)', "old: it points at a removed network's id for public6 (abc)"], 'berth reconcile, then: reattach old'],
      ['drift', false, ['web: address web is now 2001:db8::21'], "berth run --replace NAME with the same image takes the host file's entry; or change the host file back"],
    ]);
  });

  it('skips all four with the reason when there is nothing to compare', () => {
    assert.deepEqual(skippedRunningChecks('the engine is not reachable').map((c) => [c.ok, c.detail]), Array(4).fill(['skipped', 'skipped: the engine is not reachable']));
  });
});
