import type { HostAddress, HostConfig, HostNetwork, HostVolume } from '../core/host/host-config.js';
import { hostConfigFromValue } from '../core/host/parse-host-config.js';
import { NEED_KINDS } from '../core/needs/kinds/index.js';
import { needId, type NeedKindName } from '../core/needs/need.js';
import type { Unmet } from '../core/plan/resolution.js';
import { describeProviderFailure, parseProviderJson, runProvider } from '../edge/provider.js';
import { networkSpec } from '../core/plan/docker-argv.js';

/** What running the providers of unmet needs gave: failures by need id, and entries fallback providers printed. */
export interface ProvidersOutcome {
  readonly run: ReadonlyMap<string, { readonly failure?: string }>;
  /** The host file with the entries fallback providers printed added. */
  readonly host: HostConfig;
}

/**
 * Runs each unmet need's provider once, one after the other, and reads what fallback providers
 * print. `provider-timeout` is one deadline for all of them together, so a run's time does not
 * grow with its number of needs; a provider whose turn comes after it is not started.
 */
export async function runProviders(unmet: readonly Unmet[], host: HostConfig, hostConfigPath: string): Promise<ProvidersOutcome> {
  const run = new Map<string, { failure?: string }>();
  let merged = host;
  const budget = host.providerTimeoutSeconds;
  const deadline = Date.now() + budget * 1000;
  for (const { need, provider } of unmet) {
    if (!provider) continue;
    const left = (deadline - Date.now()) / 1000;
    if (left <= 0) {
      run.set(needId(need), { failure: `provider ${provider.argv.join(' ')} was not run: the providers before it used up provider-timeout (${budget}s for all providers of a run)` });
      continue;
    }
    const outcome = await runProvider({
      argv: provider.argv,
      kind: provider.kind,
      name: provider.name,
      hostConfigPath,
      timeoutSeconds: left,
    });
    if (!outcome.ok) {
      run.set(needId(need), { failure: describeProviderFailure(outcome) });
      continue;
    }
    if (!provider.fallback) {
      run.set(needId(need), {});
      continue;
    }
    const entry = readEntry(provider.kind, provider.name, outcome.stdout, merged, provider.argv.join(' '));
    if ('failure' in entry) run.set(needId(need), { failure: entry.failure });
    else {
      merged = entry.host;
      run.set(needId(need), {});
    }
  }
  return { run, host: merged };
}

// A fallback provider prints the entry in the host file's own form; it is checked exactly like the file.
function readEntry(kind: NeedKindName, name: string, stdout: string, host: HostConfig, argv: string): { host: HostConfig } | { failure: string } {
  const json = parseProviderJson(stdout);
  if (!json.ok) return { failure: `provider ${argv} printed no usable entry: ${json.reason}` };
  const section = NEED_KINDS[kind].hostSection.key;
  const networks: Record<string, unknown> = Object.fromEntries([...host.networks.values()].map((n) => [n.name, rawNetwork(n)]));
  const raw = kind === 'network' ? { networks: { ...networks, [name]: json.value } } : { networks, [section]: { [name]: json.value } };
  const checked = hostConfigFromValue(raw, `output of provider ${argv}`);
  if (!checked.config) {
    return { failure: `provider ${argv} printed an invalid ${kind} entry: ${checked.problems.map((p) => p.message).join('; ')}` };
  }
  const config = checked.config;
  const add = <T>(map: ReadonlyMap<string, T>, value: T | undefined) => (value === undefined ? map : new Map([...map, [name, value]]));
  return {
    host: {
      ...host,
      volumes: add<HostVolume>(host.volumes, config.volumes.get(name)),
      addresses: add<HostAddress>(host.addresses, config.addresses.get(name)),
      networks: add<HostNetwork>(host.networks, kind === 'network' ? config.networks.get(name) : undefined),
    },
  };
}

// A declared network in the host file's own form, so a provider's entry is checked against it.
function rawNetwork(network: HostNetwork): Record<string, unknown> {
  const { name, options, ...subnets } = networkSpec(network);
  return subnets;
}
