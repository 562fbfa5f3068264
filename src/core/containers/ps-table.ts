import { table } from '../needs/describe.js';
import { clip } from '../needs/grammar.js';
import type { ContainerView } from './container-view.js';
import { IMAGE_LABEL, type Held } from './run-labels.js';

/** One berth container as `berth ps --json` prints it. */
export function containerToJson(view: ContainerView): Record<string, unknown> {
  const { container } = view;
  return {
    name: container.name,
    id: container.id,
    state: container.state,
    image: imageShown(view),
    restart: container.restartPolicy,
    hostFile: view.sameHostFile ? 'this' : 'other',
    trusted: view.problems.length === 0,
    needs: view.holdings.map((h) => ({ ...heldJson(h.held), ...(h.proxy ? { proxyPresent: h.proxy.present } : {}) })),
    drift: view.drift.map((d) => ({ need: d.need, message: d.message })),
    problems: view.problems,
  };
}

// berth starts containers by image id and keeps the reference the user gave in a label.
function imageShown(view: ContainerView): string {
  const given = view.container.labels[IMAGE_LABEL];
  return given === undefined ? view.container.image : clip(given, 200);
}

function heldJson(held: Held): Record<string, unknown> {
  const { kind, need, ...rest } = held;
  return { kind, name: need, ...rest };
}

/** `berth ps` for people: one row per container, then what is wrong with each, indented below. */
export function psTable(views: readonly ContainerView[]): string {
  const rows = [['NAME', 'STATE', 'IMAGE', 'NEEDS', 'PROXY', 'DRIFT']];
  const notes: string[] = [];
  for (const view of views) {
    const proxies = view.holdings.flatMap((h) => (h.proxy ? [h.proxy] : []));
    const missing = proxies.filter((p) => !p.present).length;
    const proxy = proxies.length === 0 ? '-' : missing === 0 ? 'ok' : `${missing} missing`;
    const needs = view.holdings.map((h) => `${h.held.kind} ${h.held.need}${'host' in h.held && h.held.host !== undefined && h.held.host !== h.held.need ? `→${h.held.host}` : ''}: ${h.text}`).join(', ');
    const drift = view.problems.length > 0 ? 'untrusted' : !view.sameHostFile ? 'other host file' : view.drift.length === 0 ? '-' : String(view.drift.length);
    rows.push([view.container.name, view.container.state, imageShown(view), needs || '-', proxy, drift]);
    for (const problem of view.problems) notes.push(`${view.container.name}: ${problem}`);
    for (const d of view.drift) notes.push(`${view.container.name}: drift: ${d.message}`);
    for (const p of proxies.filter((p) => !p.present)) notes.push(`${view.container.name}: no NDP proxy entry for ${p.address} on ${p.iface} (berth reconcile restores it)`);
  }
  return `${table(rows)}\n${notes.length === 0 ? '' : `\n${notes.join('\n')}\n`}`;
}
