import { needId, needName, type Need } from '../needs/need.js';
import type { ComposeService } from './project.js';

/**
 * `x-berth: {bind: {web: web-b}}`: the need named web is met by the host's entry web-b. `hosts`
 * keeps, by the image's need id, which host entry meets each bound need.
 */
export function bindNeeds(service: ComposeService, needs: readonly Need[]): { ok: true; needs: Need[]; hosts: ReadonlyMap<string, string> } | { ok: false; problem: string } {
  const unused = [...service.bind.keys()].filter((name) => !needs.some((need) => needName(need) === name));
  if (unused.length > 0) return { ok: false, problem: `x-berth bind names ${unused.map((n) => `"${n}"`).join(', ')}, which its image does not need` };
  const literal = needs.find((need) => need.kind === 'address' && need.ref.type === 'literal' && service.bind.has(needName(need)));
  if (literal) return { ok: false, problem: `x-berth bind names the literal address ${needName(literal)}, which no host entry can stand for` };
  const hosts = new Map<string, string>();
  const bound = needs.map((need): Need => {
    const host = service.bind.get(needName(need));
    if (host === undefined) return need;
    if (need.kind === 'address' && need.ref.type !== 'name') return need;
    hosts.set(needId(need), host);
    return need.kind === 'address' ? { ...need, ref: { type: 'name', name: host } } : { ...need, name: host };
  });
  return { ok: true, needs: bound, hosts };
}
