import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import {
  hostProviders,
  type DoctorFacts,
  type DoctorNetwork,
  type EngineFacts,
  type ExecutableFact,
  type HostFileFacts,
  type InterfaceFacts,
} from '../core/doctor/checks.js';
import { isBerthError } from '../core/errors.js';
import type { HostConfig } from '../core/host/host-config.js';
import { parseHostConfig } from '../core/host/parse-host-config.js';
import type { DirectoryState } from '../core/plan/world-state.js';
import { engineCall, lastLine, type Engine } from './engine.js';
import { printedLines } from './engine-json.js';
import { fileProblem } from './errno.js';
import { interfaceExists, ipv6ForwardingEnabled, proxyNdpEnabled } from './ndp.js';
import { readHostText } from './host-text.js';
import { inspectNetwork } from './networks.js';
import { inspectDirectory } from './paths.js';
import { volumeExists } from './volumes.js';

// Directories where ip6tables lives on Debian even when a user's PATH leaves them out.
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Looks at everything `berth doctor` judges; the host-dependent parts only when the host file is valid, the engine's only when it answers. */
export async function gatherDoctorFacts(engine: Engine, hostConfigPath: string, env: NodeJS.ProcessEnv = process.env): Promise<DoctorFacts> {
  const [host, ipv6Forwarding, ip6tables] = await Promise.all([
    readHost(hostConfigPath),
    ipv6ForwardingEnabled(),
    findExecutable('ip6tables', env),
  ]);
  const config = host.state === 'valid' ? host.config : undefined;
  const [engineFacts, interfaces, directories, executables] = await Promise.all([
    engineState(engine, config),
    config ? interfaceFacts(config) : new Map<string, InterfaceFacts>(),
    config ? directoryFacts(config) : new Map<string, DirectoryState>(),
    config ? executableFacts(config) : new Map<string, ExecutableFact>(),
  ]);
  return {
    engine: engineFacts,
    host,
    ipv6Forwarding,
    ...(ip6tables === undefined ? {} : { ip6tables }),
    interfaces,
    directories,
    executables,
  };
}

async function engineState(engine: Engine, config: HostConfig | undefined): Promise<EngineFacts> {
  const format = engine.name === 'podman' ? '{{.Version.Version}}' : '{{.ServerVersion}}';
  let result;
  try {
    result = await engineCall(engine, ['info', '--format', format]);
  } catch (caught) {
    if (!isBerthError(caught) || caught.code !== 'engine.missing') throw caught;
    const reason = fileProblem(caught.cause).failure === 'missing' ? 'not found on PATH' : caught.message;
    return { name: engine.name, state: 'missing', reason };
  }
  if (result.exitCode !== 0) {
    return { name: engine.name, state: 'unreachable', reason: lastLine(result.stderr) || `exit status ${result.exitCode}` };
  }
  const volumeNames = config
    ? [...config.volumes.values()].flatMap((volume) => (volume.type === 'docker-volume' ? [volume.volume] : []))
    : [];
  const [networks, volumes] = await Promise.all([
    engineNetworks(engine),
    Promise.all(volumeNames.map(async (name) => [name, await volumeExists(engine, name)] as const)),
  ]);
  return { name: engine.name, state: 'reachable', version: result.stdout.trim(), networks, volumes: new Map(volumes) };
}

// Every network, not only the declared ones: an absent network can only be created when its subnets overlap none of them.
async function engineNetworks(engine: Engine): Promise<Map<string, DoctorNetwork>> {
  const listed = await engineCall(engine, ['network', 'ls', '--format', '{{.Name}}']);
  const names = listed.exitCode === 0 ? printedLines(listed.stdout) : [];
  const found = await Promise.all(names.map((name) => inspectNetwork(engine, name)));
  const networks = new Map<string, DoctorNetwork>();
  for (const network of found) {
    // A network removed between listing and inspecting is simply gone.
    if (network) networks.set(network.name, { ipv6: network.ipv6, subnets: network.subnets });
  }
  return networks;
}

async function readHost(path: string): Promise<HostFileFacts> {
  const read = await readHostText(path);
  if (!read.ok) return { path, state: 'unreadable', failure: read.failure, reason: read.reason };
  const text = read.text;
  const { config, problems } = parseHostConfig(text, path);
  if (config === undefined) return { path, state: 'invalid', problems };
  return { path, state: 'valid', config, warnings: problems.filter((problem) => problem.severity === 'warning') };
}

async function interfaceFacts(config: HostConfig): Promise<Map<string, InterfaceFacts>> {
  const names = new Set([...config.networks.values()].flatMap((network) => (network.ndpProxy === undefined ? [] : [network.ndpProxy])));
  const entries = await Promise.all([...names].map(async (name): Promise<[string, InterfaceFacts]> => {
    try {
      if (!(await interfaceExists(name))) return [name, { state: 'missing' }];
    } catch (caught) {
      if (!isBerthError(caught)) throw caught;
      return [name, { state: 'unknown', reason: caught.message }];
    }
    return [name, { state: 'present', proxyNdp: await proxyNdpEnabled(name) }];
  }));
  return new Map(entries);
}

async function directoryFacts(config: HostConfig): Promise<Map<string, DirectoryState>> {
  const sources = new Set([...config.volumes.values()].flatMap((volume) => (volume.type === 'bind' ? [volume.source] : [])));
  return new Map(await Promise.all([...sources].map(async (source) => [source, await inspectDirectory(source)] as const)));
}

async function executableFacts(config: HostConfig): Promise<Map<string, ExecutableFact>> {
  const paths = new Set(hostProviders(config).map((provider) => provider.argv[0]));
  return new Map(await Promise.all([...paths].map(async (path) => [path, await executable(path)] as const)));
}

async function executable(path: string): Promise<ExecutableFact> {
  try {
    if (!(await stat(path)).isFile()) return { ok: false, problem: 'not-a-file', reason: 'is not a file' };
  } catch (cause) {
    const { failure, path: reason } = fileProblem(cause);
    return { ok: false, problem: failure === 'missing' ? 'missing' : 'other', reason };
  }
  const runnable = await access(path, constants.X_OK).then(() => true, () => false);
  return runnable ? { ok: true } : { ok: false, problem: 'not-executable', reason: 'is not executable' };
}

async function findExecutable(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const dirs = [...(env['PATH'] ?? '').split(delimiter).filter(Boolean), ...SBIN];
  for (const dir of new Set(dirs)) {
    const path = join(dir, command);
    if ((await executable(path)).ok) return path;
  }
  return undefined;
}
