import type { ContainerView } from '../containers/container-view.js';
import { trusted } from '../containers/container-view.js';
import type { Finding, ReconcileAction, ReconcilePlan } from '../containers/reconcile-plan.js';
import type { Check } from './checks.js';

/**
 * What `berth doctor` says about the berth containers that exist: proxy entries missing or
 * stale, networks and volumes they need that are gone, drift from the host file and labels berth
 * cannot trust, each with its fix (usually `berth reconcile`).
 */
export function runningChecks(views: readonly ContainerView[], plan: ReconcilePlan): Check[] {
  const ours = views.filter(trusted);
  const running = ours.filter((v) => v.container.state === 'running').length;
  const untrusted = plan.findings.filter((f) => f.type === 'untrusted');
  const proxies = plan.actions.filter((a) => a.type === 'add-proxy' || a.type === 'remove-proxy');
  const resources = plan.actions.filter((a) => a.type === 'create-network' || a.type === 'provide-volume');
  const broken = plan.findings.filter((f) => f.type === 'stale' || f.type === 'missing');
  const drift = plan.findings.filter((f) => f.type === 'drift');
  return [
    check('berth containers', untrusted, `${ours.length} from this host file, ${running} running`, 'remove them (docker rm NAME) and start them again with berth run'),
    proxies.length === 0
      ? { ok: true, title: 'proxy entries', detail: 'every container address that needs one has one, and none is stale' }
      : { ok: false, title: 'proxy entries', detail: `${proxies.length} out of line`, lines: proxies.map(describe), fix: 'berth reconcile' },
    resources.length === 0 && broken.length === 0
      ? { ok: true, title: 'container resources', detail: 'the networks and volume sources of the containers are there' }
      : {
          ok: false,
          title: 'container resources',
          detail: `${resources.length + broken.length} missing`,
          lines: [...resources.map(describe), ...broken.map(line)],
          fix: broken.length === 0 ? 'berth reconcile' : `berth reconcile, then: ${[...new Set(broken.map((f) => f.fix))].join('; ')}`,
        },
    check('drift', drift, 'the containers hold what the host file says', 'berth run --replace NAME with the same image takes the host file\'s entry; or change the host file back'),
  ];
}

const TITLES = ['berth containers', 'proxy entries', 'container resources', 'drift'];

/** The same checks, skipped: without the host file or the engine there is nothing to compare. */
export function skippedRunningChecks(why: string): Check[] {
  return TITLES.map((title) => ({ ok: 'skipped', title, detail: `skipped: ${why}` }));
}

function check(title: string, findings: readonly Finding[], fine: string, fix: string): Check {
  if (findings.length === 0) return { ok: true, title, detail: fine };
  return { ok: false, title, detail: `${findings.length} found`, lines: findings.map(line), fix };
}

function line(finding: Finding): string {
  return `${finding.container === undefined ? '' : `${finding.container}: `}${finding.problem}`;
}

function describe(action: ReconcileAction): string {
  switch (action.type) {
    case 'add-proxy':
      return `missing: ${action.address} on ${action.iface} (${action.for.join(', ')})`;
    case 'remove-proxy':
      return `stale: ${action.address} on ${action.iface} (no container holds it)`;
    case 'create-network':
      return `network ${action.network} is gone (${action.for.join(', ')})`;
    case 'provide-volume':
      return `volume ${action.volume}'s source is gone; its provider can make it (${action.for.join(', ')})`;
  }
}
