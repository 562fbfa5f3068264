import { KIND_NAMES, kindOf } from '../needs/kinds/index.js';
import { clip, nameProblem } from '../needs/grammar.js';
import { needId, needName, type Need, type NeedKindName } from '../needs/need.js';

/** `--bind [KIND.]NAME=HOST-NAME`: the image's need NAME is met by the host's entry HOST-NAME. */
export interface Binding {
  readonly kind?: NeedKindName;
  readonly name: string;
  readonly host: string;
}

export type BindingParse = { readonly ok: true; readonly binding: Binding } | { readonly ok: false; readonly message: string };

/** Reads one `--bind` value. */
export function parseBinding(text: string): BindingParse {
  const equals = text.indexOf('=');
  if (equals < 0) return { ok: false, message: `--bind ${clip(text)}: write it as [KIND.]NAME=HOST-NAME` };
  const left = text.slice(0, equals);
  const host = text.slice(equals + 1);
  const dot = left.indexOf('.');
  const kindWord = dot < 0 ? undefined : left.slice(0, dot);
  const kind = KIND_NAMES.find((k) => k === kindWord);
  // A NAME may contain dots itself: only a known kind before the first dot is a kind.
  const name = kind === undefined ? left : left.slice(dot + 1);
  const problem = nameProblem(name, 'need name') ?? nameProblem(host, 'host name');
  if (problem) return { ok: false, message: `--bind ${clip(text)}: ${problem}` };
  return { ok: true, binding: { ...(kind === undefined ? {} : { kind }), name, host } };
}

export interface BoundNeeds {
  /** The needs as the host resolves them: each bound one under its host entry's name. */
  readonly needs: readonly Need[];
  /** Host entry name by the id of the image's need, for the ones `--bind` moved. */
  readonly hosts: ReadonlyMap<string, string>;
  readonly problems: readonly string[];
}

/**
 * Points needs of the image at other host entries, so that one image can run twice with two
 * addresses (`web` and `web-b`); a binding that names no need, or several, is a problem.
 * Literal addresses cannot be bound: they name themselves.
 */
export function applyBindings(needs: readonly Need[], bindings: readonly Binding[]): BoundNeeds {
  const problems: string[] = [];
  const hosts = new Map<string, string>();
  for (const binding of bindings) {
    const matches = needs.filter((need) => kindOf(need).held.rebind(need, binding.host) !== undefined && needName(need) === binding.name && (binding.kind === undefined || need.kind === binding.kind));
    const what = `--bind ${binding.kind === undefined ? '' : `${binding.kind}.`}${binding.name}=${binding.host}`;
    if (matches.length === 0) problems.push(`${what}: the image has no ${binding.kind ?? 'named'} need ${binding.name}`);
    else if (matches.length > 1) problems.push(`${what}: the image has several needs named ${binding.name} (${matches.map((m) => m.kind).join(', ')}); write KIND.${binding.name}`);
    else {
      const id = needId(matches[0] as Need);
      if (hosts.has(id)) problems.push(`${what}: ${id} is bound twice`);
      hosts.set(id, binding.host);
    }
  }
  const bound = needs.map((need) => {
    const host = hosts.get(needId(need));
    return host === undefined ? need : (kindOf(need).held.rebind(need, host) ?? need);
  });
  return { needs: bound, hosts, problems };
}
