import { PROVIDER_KINDS, type Argv, type HostConfig, type HostNetwork, type HostVolume } from '../host/host-config.js';
import { formatSubnet } from '../ip.js';
import { compareEngineNetwork, declaredSubnets, subnetClashes } from '../host/engine-subnets.js';
import { ipv6SysctlKey, proxyNdpCommand } from '../host/sysctl.js';
import type { DirectoryState } from '../plan/world-state.js';
import { formatProblems, type Position, type Problem } from '../problem.js';

/** One line of `berth doctor`: what was looked at, how it stands and, when it fails, what to do. */
export interface Check {
  readonly ok: boolean | 'skipped';
  readonly title: string;
  readonly detail?: string;
  readonly fix?: string;
  /** Further lines shown under the check: the host file's problems. */
  readonly lines?: readonly string[];
}

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
/** Every check of `berth doctor`, in the order they are shown. */
export function doctorChecks(facts: DoctorFacts): Check[] {
  const host = facts.host.state === 'valid' ? facts.host.config : undefined;
  const checks: Check[] = [engineCheck(facts.engine), hostFileCheck(facts.host)];
  if (host === undefined) {
    const why = `skipped: the host file is ${facts.host.state}`;
    checks.push(
      { ok: 'skipped', title: 'networks', detail: why },
      forwardingCheck(facts.ipv6Forwarding, undefined),
      { ok: 'skipped', title: 'ndp-proxy', detail: why },
      ip6tablesCheck(facts.ip6tables),
      { ok: 'skipped', title: 'volumes', detail: why },
      { ok: 'skipped', title: 'providers', detail: why },
    );
    return checks;
  }
  checks.push(
    ...[...host.networks.values()].map((network) => networkCheck(network, host, facts.engine)),
    forwardingCheck(facts.ipv6Forwarding, host),
    ...ndpChecks(host, facts.interfaces),
    ip6tablesCheck(facts.ip6tables),
    ...[...host.volumes.values()].map((volume) => volumeCheck(volume, facts)),
    ...providerChecks(host, facts.executables),
  );
  return checks;
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
      const counts = [count(config.networks.size, 'network'), count(config.addresses.size, 'address'), count(config.volumes.size, 'volume')];
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

function networkCheck(network: HostNetwork, host: HostConfig, engine: EngineFacts): Check {
  const title = `network ${network.name}`;
  if (engine.state !== 'reachable') return { ok: 'skipped', title, detail: 'skipped: the engine is not reachable' };
  const found = engine.networks.get(network.name);
  if (found === undefined) return absentNetworkCheck(title, network, engine);
  const declared = declaredSubnets(network).map(formatSubnet);
  const verdict = compareEngineNetwork(network, found);
  const has = found.subnets.join(', ') || 'no subnet';
  const remove = `${engine.name} network rm ${network.name}`;
  if (verdict === 'other-subnets') {
    return {
      ok: false,
      title,
      detail: `exists with ${has}, but ${host.file} says ${declared.join(', ')}`,
      fix: `berth never changes an existing network: correct its entry (${where(network.at)}), or remove the network (${remove})`,
    };
  }
  if (verdict === 'no-ipv6') {
    return {
      ok: false,
      title,
      detail: `exists with ${has}, but without IPv6`,
      fix: `berth never changes an existing network: remove it (${remove}) so that berth run creates it with IPv6`,
    };
  }
  return { ok: true, title, detail: `exists with ${has}` };
}

function absentNetworkCheck(title: string, network: HostNetwork, engine: Extract<EngineFacts, { state: 'reachable' }>): Check {
  const others = [...engine.networks].map(([name, other]) => ({ name, subnets: other.subnets }));
  const found = subnetClashes(network, others);
  const clashes = found.map(({ subnet, cidr, network: name }) => `${formatSubnet(subnet)} overlaps ${cidr} of network ${name}`);
  const inTheWay = new Set(found.map((clash) => clash.network));
  const subnets = declaredSubnets(network).map(formatSubnet).join(', ');
  if (clashes.length === 0) return { ok: true, title, detail: `absent; will be created by berth run (${subnets})` };
  return {
    ok: false,
    title,
    detail: `absent, and berth run cannot create it: ${clashes.join('; ')}`,
    fix: `give it subnets no engine network uses (${where(network.at)}), or remove what is in the way (${engine.name} network rm ${[...inTheWay].join(' ')})`,
  };
}

const FORWARDING = 'net.ipv6.conf.all.forwarding';

function forwardingCheck(on: boolean, host: HostConfig | undefined): Check {
  const title = 'IPv6 forwarding';
  if (on) return { ok: true, title, detail: `on (${FORWARDING} = 1)` };
  const ipv6 = host === undefined || [...host.networks.values()].some((network) => network.subnet6 !== undefined);
  if (!ipv6) return { ok: true, title, detail: `off; not needed, as no network declares subnet6` };
  return {
    ok: false,
    title,
    detail: `off (${FORWARDING} = 0): containers' IPv6 addresses are unreachable from outside`,
    fix: `sysctl -w ${FORWARDING}=1 (and put "${FORWARDING} = 1" in /etc/sysctl.d/ to keep it)`,
  };
}

function ndpChecks(host: HostConfig, interfaces: ReadonlyMap<string, InterfaceFacts>): Check[] {
  const users = new Map<string, HostNetwork[]>();
  for (const network of host.networks.values()) {
    if (network.ndpProxy === undefined) continue;
    users.set(network.ndpProxy, [...(users.get(network.ndpProxy) ?? []), network]);
  }
  return [...users].map(([iface, networks]) => {
    const title = `ndp-proxy ${iface}`;
    const names = `network${networks.length === 1 ? '' : 's'} ${networks.map((network) => network.name).join(', ')}`;
    const facts = interfaces.get(iface) ?? { state: 'unknown', reason: 'not looked at' };
    const key = ipv6SysctlKey(iface, 'proxy_ndp');
    switch (facts.state) {
      case 'missing':
        return {
          ok: false,
          title,
          detail: `interface ${iface} (for ${names}) does not exist`,
          fix: `create it, or set ndp-proxy to an existing interface (ip link) at ${networks.map((network) => where(network.at)).join(', ')}`,
        };
      case 'unknown':
        return { ok: false, title, detail: `cannot look up interface ${iface}: ${facts.reason}`, fix: 'make "ip link" work (apt-get install -y iproute2)' };
      case 'present':
        if (facts.proxyNdp === true) return { ok: true, title, detail: `for ${names}; proxy_ndp is on` };
        if (facts.proxyNdp === false) {
          return {
            ok: false,
            title,
            detail: `for ${names}; proxy_ndp is off, so nothing answers neighbour discovery for ${networks.length === 1 ? 'its' : 'their'} addresses`,
            fix: `${proxyNdpCommand(iface)} (and put "${key} = 1" in /etc/sysctl.d/ to keep it)`,
          };
        }
        return {
          ok: false,
          title,
          detail: `for ${names}; ${iface} has no IPv6 settings (IPv6 is off on it)`,
          fix: `enable IPv6 on ${iface} (sysctl -w ${ipv6SysctlKey(iface, 'disable_ipv6')}=0), then ${proxyNdpCommand(iface)}`,
        };
    }
  });
}

function ip6tablesCheck(path: string | undefined): Check {
  const title = 'ip6tables';
  if (path !== undefined) return { ok: true, title, detail: path };
  return {
    ok: false,
    title,
    detail: 'not found: the engine cannot filter or NAT IPv6 without it',
    fix: 'apt-get install -y iptables',
  };
}

function volumeCheck(volume: HostVolume, facts: DoctorFacts): Check {
  const title = `volume ${volume.name}`;
  const provided = volume.provider !== undefined;
  if (volume.type === 'bind') {
    const dir = facts.directories.get(volume.source) ?? { ok: false, reason: 'was not looked at' };
    if (dir.ok && !volume.followSymlinks && dir.symlink !== undefined) {
      return {
        ok: false,
        title,
        detail: `source ${volume.source} goes through the symbolic link ${dir.symlink}, and follow-symlinks: false refuses it`,
        fix: `give source: as the directory's real path, ${dir.realPath} (${where(volume.at)})`,
      };
    }
    if (dir.ok) {
      const real = dir.realPath === volume.source ? '' : ` (${dir.realPath})`;
      return { ok: true, title, detail: `source ${volume.source}${real} is a directory` };
    }
    if (provided) return { ok: true, title, detail: `source ${volume.source} ${dir.reason}; its provider will make it` };
    return {
      ok: false,
      title,
      detail: `source ${volume.source} ${dir.reason}`,
      fix: dir.reason === 'does not exist'
        ? `mkdir -p ${volume.source}, or give the volume a provider (${where(volume.at)})`
        : `make ${volume.source} a directory berth can reach, or correct source: (${where(volume.at)})`,
    };
  }
  const engine = facts.engine;
  if (engine.state !== 'reachable') return { ok: 'skipped', title, detail: `skipped: the engine is not reachable (docker volume ${volume.volume})` };
  if (engine.volumes.get(volume.volume) === true) return { ok: true, title, detail: `${engine.name} volume ${volume.volume} exists` };
  if (provided) return { ok: true, title, detail: `${engine.name} volume ${volume.volume} is missing; its provider will make it` };
  return {
    ok: false,
    title,
    detail: `${engine.name} volume ${volume.volume} does not exist, and berth never creates one by itself`,
    fix: `${engine.name} volume create ${volume.volume}, or give the volume a provider (${where(volume.at)})`,
  };
}

function providerChecks(host: HostConfig, executables: ReadonlyMap<string, ExecutableFact>): Check[] {
  const providers: Array<{ title: string; argv: Argv; at: string }> = [];
  for (const volume of host.volumes.values()) {
    if (volume.provider) providers.push({ title: `provider of volume ${volume.name}`, argv: volume.provider, at: where(volume.at) });
  }
  for (const kind of PROVIDER_KINDS) {
    const argv = host.providers[kind];
    if (argv) providers.push({ title: `providers.${kind}`, argv, at: `providers.${kind} in ${host.file}` });
  }
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

function where(at: Position): string {
  return `${at.file}:${at.line}:${at.column}`;
}

function count(n: number, noun: string): string {
  const plural = noun.endsWith('s') ? `${noun}es` : `${noun}s`;
  return `${n} ${n === 1 ? noun : plural}`;
}
