import { PROVIDER_KINDS, SECTION_KINDS, type Argv, type HostConfig } from '../host/host-config.js';
import { hostEntries, NEED_KINDS } from '../needs/kinds/index.js';
import type { DirectoryState } from '../plan/world-state.js';
import { formatProblems, type Problem } from '../problem.js';
import { skippedWithoutHost, where, type Check } from './check.js';

export type { Check } from './check.js';

export type DoctorEngineName = 'docker' | 'podman';

/** An engine network as far as the doctor compares it with the host file. */
export interface DoctorNetwork {
  readonly ipv6: boolean;
  /** CIDRs as the engine reports them. */
  readonly subnets: readonly string[];
}

export type EngineFacts =
  | {
      readonly name: DoctorEngineName;
      readonly state: 'reachable';
      readonly version: string;
      /** Every network of the engine, by name. */
      readonly networks: ReadonlyMap<string, DoctorNetwork>;
      /** The named volumes the host file declares: whether each exists. */
      readonly volumes: ReadonlyMap<string, boolean>;
    }
  | {
      readonly name: DoctorEngineName;
      /** `missing`: the engine's CLI could not be run; `unreachable`: it ran but found no engine. */
      readonly state: 'unreachable' | 'missing';
      readonly reason: string;
    };

export type HostFileFacts =
  | { readonly path: string; readonly state: 'valid'; readonly config: HostConfig; readonly warnings: readonly Problem[] }
  | { readonly path: string; readonly state: 'invalid'; readonly problems: readonly Problem[] }
  | { readonly path: string; readonly state: 'unreadable'; readonly failure: ReadFailure; readonly reason: string };

export type ReadFailure = 'missing' | 'denied' | 'directory' | 'other';

export type InterfaceFacts =
  | { readonly state: 'missing' }
  /** `proxyNdp` undefined: the interface has no IPv6 settings. */
  | { readonly state: 'present'; readonly proxyNdp: boolean | undefined }
  | { readonly state: 'unknown'; readonly reason: string };

export type ExecutableFact =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: 'missing' | 'not-a-file' | 'not-executable' | 'other'; readonly reason: string };

/** What the doctor found on the host and in the engine; host-dependent maps are empty when the host file is not valid. */
export interface DoctorFacts {
  readonly engine: EngineFacts;
  readonly host: HostFileFacts;
  /** `net.ipv6.conf.all.forwarding` is 1. */
  readonly ipv6Forwarding: boolean;
  /** Where `ip6tables` was found; absent: nowhere. */
  readonly ip6tables?: string;
  /** The `ndp-proxy` interfaces of the host file. */
  readonly interfaces: ReadonlyMap<string, InterfaceFacts>;
  /** The volumes' `source` directories, symlinks resolved. */
  readonly directories: ReadonlyMap<string, DirectoryState>;
  /** The providers' executables (argv[0]). */
  readonly executables: ReadonlyMap<string, ExecutableFact>;
}

// `berth run` fails one need at a time; the doctor looks at the whole host set-up at once and says what to fix.
/** Every check of `berth doctor`, in the order they are shown: the engine, the host file, each kind's section, the providers. */
export function doctorChecks(facts: DoctorFacts): Check[] {
  const host = facts.host.state === 'valid' ? facts.host.config : undefined;
  return [
    engineCheck(facts.engine),
    hostFileCheck(facts.host),
    ...SECTION_KINDS.flatMap((kind) => NEED_KINDS[kind].doctor.checks(host, facts)),
    ...(host === undefined ? [skippedWithoutHost('providers', facts.host)] : providerChecks(host, facts.executables)),
  ];
}

/** True when no check failed (skipped ones do not fail). */
export function doctorPassed(checks: readonly Check[]): boolean {
  return checks.every((check) => check.ok !== false);
}

function engineCheck(engine: EngineFacts): Check {
  const title = 'engine';
  switch (engine.state) {
    case 'reachable':
      return { ok: true, title, detail: `${engine.name} ${engine.version}` };
    case 'unreachable':
      return {
        ok: false,
        title,
        detail: `cannot reach the ${engine.name} engine: ${engine.reason}`,
        fix: engine.name === 'docker'
          ? 'start dockerd (systemctl start docker), or point DOCKER_HOST / the docker context at a running engine'
          : 'check "podman info", or point the podman connection (podman system connection list) at a running engine',
      };
    case 'missing':
      return {
        ok: false,
        title,
        detail: `cannot run the ${engine.name} CLI: ${engine.reason}`,
        fix: `install it (apt-get install -y ${engine.name === 'docker' ? 'docker.io' : 'podman'}) or put it on PATH, or choose the other engine with --engine`,
      };
  }
}

const READ_FIXES: Readonly<Record<ReadFailure, string>> = {
  missing: 'create it, or point --host-config or $BERTH_HOST_CONFIG at one',
  denied: 'let this user read it, or run berth as a user who can',
  directory: 'point --host-config or $BERTH_HOST_CONFIG at the file itself',
  other: 'make it readable, or point --host-config or $BERTH_HOST_CONFIG at another one',
};

function hostFileCheck(host: HostFileFacts): Check {
  const title = 'host file';
  switch (host.state) {
    case 'valid': {
      const { config, warnings } = host;
      const counts = SECTION_KINDS.map((kind) => count(hostEntries(config, kind).size, kind));
      if (warnings.length > 0) counts.push(count(warnings.length, 'warning'));
      return {
        ok: true,
        title,
        detail: `${host.path}: ${counts.join(', ')}`,
        ...(warnings.length > 0 ? { lines: formatProblems(warnings).split('\n') } : {}),
      };
    }
    case 'invalid': {
      const errors = host.problems.filter((problem) => problem.severity === 'error').length;
      return {
        ok: false,
        title,
        detail: `${host.path} is invalid: ${count(errors, 'error')}`,
        fix: `correct ${errors === 1 ? 'it' : 'them'} (berth check --host-config ${host.path} reports the same)`,
        lines: formatProblems(host.problems).split('\n'),
      };
    }
    case 'unreadable':
      return { ok: false, title, detail: `cannot read ${host.path}: ${host.reason}`, fix: READ_FIXES[host.failure] };
  }
}

/** A provider command the host file names, with where it is named: an entry's own, or `providers.KIND`. */
export interface NamedProvider {
  readonly title: string;
  readonly argv: Argv;
  /** Where the fix points. */
  readonly at: string;
}

/** Every provider command of the host file, in the order doctor shows them: the entries' own, then `providers.KIND`. */
export function hostProviders(host: HostConfig): NamedProvider[] {
  const providers: NamedProvider[] = [];
  for (const kind of SECTION_KINDS) {
    for (const { name, argv, at } of NEED_KINDS[kind].doctor.providers(host)) providers.push({ title: `provider of ${kind} ${name}`, argv, at: where(at) });
  }
  for (const kind of PROVIDER_KINDS) {
    const argv = host.providers[kind];
    if (argv) providers.push({ title: `providers.${kind}`, argv, at: `providers.${kind} in ${host.file}` });
  }
  return providers;
}

function providerChecks(host: HostConfig, executables: ReadonlyMap<string, ExecutableFact>): Check[] {
  const providers = hostProviders(host);
  return providers.map(({ title, argv, at }) => {
    const path = argv[0];
    const fact = executables.get(path) ?? { ok: false, problem: 'other', reason: 'was not looked at' };
    if (fact.ok) return { ok: true, title, detail: `${path} is executable` };
    switch (fact.problem) {
      case 'not-executable':
        return { ok: false, title, detail: `${path} is not executable`, fix: `chmod +x ${path}` };
      case 'missing':
        return { ok: false, title, detail: `${path} does not exist`, fix: `install it there, or correct the path (${at})` };
      case 'not-a-file':
        return { ok: false, title, detail: `${path} is not a file`, fix: `point the provider at an executable file (${at})` };
      case 'other':
        return { ok: false, title, detail: `${path}: ${fact.reason}`, fix: `make it an executable file this user can run (${at})` };
    }
  });
}

function count(n: number, noun: string): string {
  const plural = noun.endsWith('s') ? `${noun}es` : `${noun}s`;
  return `${n} ${n === 1 ? noun : plural}`;
}
