import type { HostConfig } from '../core/host/host-config.js';
import { withProviderEntry } from '../core/host/provider-entry.js';
import { needId, type NeedKindName } from '../core/needs/need.js';
import type { Unmet } from '../core/plan/resolution.js';
import { describeProviderFailure, parseProviderJson, runProvider } from '../edge/provider.js';

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

// A fallback provider prints the entry in the host file's own form; it joins the file and is checked with it, as the file is.
function readEntry(kind: NeedKindName, name: string, stdout: string, host: HostConfig, argv: string): { host: HostConfig } | { failure: string } {
  const json = parseProviderJson(stdout);
  if (!json.ok) return { failure: `provider ${argv} printed no usable entry: ${json.reason}` };
  const checked = withProviderEntry(host, kind, name, json.value, `output of provider ${argv}`);
  if (!checked.config) {
    const problems = checked.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    return { failure: `provider ${argv} printed an entry that ${host.file} does not allow: ${problems.join('; ')}` };
  }
  return { host: checked.config };
}
