import type { ErrorObject } from 'ajv';
import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { error, hasErrors, sortProblems, type Position, type Problem } from '../problem.js';
import {
  DEFAULT_PROVIDER_TIMEOUT_SECONDS,
  formatSubnet,
  networkAddress,
  parseIpAddress,
  subnetContains,
  subnetsOverlap,
  type Argv,
  type HostAddress,
  type HostConfig,
  type HostNetwork,
  type HostProviders,
  type HostVolume,
  type IpFamily,
  type Subnet,
} from './host-config.js';
import { NAME_HELP } from './host-schema.js';
import { validateHostFile } from './host-validator.generated.js';

export interface HostConfigResult {
  /** Present only when there is no error among the problems. */
  readonly config?: HostConfig;
  readonly problems: readonly Problem[];
}

type Path = readonly (string | number)[];
type Target = 'key' | 'value';
/** Where, in the file, the key or the value at a path of the parsed data stands. */
type Locate = (path: Path, target: Target) => Position;
type Data = Readonly<Record<string, unknown>>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The host file is user input: its text becomes a checked config or every problem, positioned; never throws. */
export function parseHostConfig(text: string, file: string): HostConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const yamlProblems = [
    ...[...doc.errors, ...doc.warnings].map((e) =>
      error(at(e.pos[0]), 'host.yaml-syntax', `invalid YAML: ${e.message}${YAML_HINTS[e.code] ?? ''}`),
    ),
    ...duplicateKeys(doc.contents, [], at),
  ];
  if (yamlProblems.length > 0) return { problems: sortProblems(yamlProblems) };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return { problems: [error(at(0), 'host.yaml-syntax', `invalid YAML: ${message}`)] };
  }
  return checkHostValue(value ?? {}, file, locator(doc, at, file));
}

/** Provider output (DESIGN §3.1) is host-file data without YAML text: checked alike, problems at `file`'s start. */
export function hostConfigFromValue(value: unknown, file: string): HostConfigResult {
  return checkHostValue(value ?? {}, file, () => ({ file, line: 1, column: 1 }));
}

function checkHostValue(value: unknown, file: string, locate: Locate): HostConfigResult {
  if (!isRecord(value)) {
    return {
      problems: [
        error(
          locate([], 'value'),
          'host.not-a-mapping',
          'the host file must be a mapping with the keys networks, addresses, volumes, providers and/or provider-timeout',
        ),
      ],
    };
  }
  const problems = schemaProblems(value, locate);
  const config = buildConfig(value, file, locate, problems);
  const sorted = sortProblems(problems);
  return hasErrors(sorted) ? { problems: sorted } : { config, problems: sorted };
}

const YAML_HINTS: Readonly<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' (quote a value that ends in ":" or holds ": ", e.g. "2001:db8::")',
};

// ajv's standalone code for hostSchema, generated ahead of time so that no run compiles the schema.
function validate(value: Data): readonly ErrorObject[] {
  return validateHostFile(value) ? [] : (validateHostFile.errors ?? []);
}

function locator(doc: Document, at: (offset: number) => Position, file: string): Locate {
  const start = (node: Node | null | undefined): Position | undefined =>
    node?.range === undefined || node.range === null ? undefined : at(node.range[0]);
  return (path, target) => {
    let node: unknown = doc.contents;
    let key: Node | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(segment));
        if (pair === undefined) break;
        key = isScalar(pair.key) ? pair.key : undefined;
        node = pair.value;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)];
        if (item === undefined) break;
        key = undefined;
        node = item;
      } else {
        break;
      }
    }
    const emptyValue = isScalar(node) && node.value === null && node.source === '';
    const value = emptyValue ? undefined : start(node as Node | null);
    const position = target === 'key' ? (start(key) ?? value) : (value ?? start(key));
    return position ?? { file, line: 1, column: 1 };
  };
}

// yaml's own check names neither the key nor where it first stood.
function duplicateKeys(node: unknown, path: Path, at: (offset: number) => Position): Problem[] {
  if (isSeq(node)) return node.items.flatMap((item, i) => duplicateKeys(item, [...path, i], at));
  if (!isMap(node)) return [];
  const problems: Problem[] = [];
  const seen = new Map<string, Position>();
  for (const pair of node.items) {
    const key = keyText(pair.key);
    const position = isNode(pair.key) && pair.key.range ? at(pair.key.range[0]) : undefined;
    const first = seen.get(key);
    if (first !== undefined && position !== undefined) {
      const inside = path.length === 0 ? '' : ` in ${label(path)}`;
      problems.push(
        error(position, 'host.duplicate-key', `duplicate key "${key}"${inside} (first at line ${first.line}); keep one`),
      );
    } else if (position !== undefined) {
      seen.set(key, position);
    }
    problems.push(...duplicateKeys(pair.value, [...path, key], at));
  }
  return problems;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function isRecord(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `networks.public6.subnet6`, `volumes.cache.provider[0]`, `networks.x.options["com.docker.mtu"]`. */
function label(path: Path): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!/^[A-Za-z0-9_-]+$/.test(segment)) return `[${JSON.stringify(segment)}]`;
      return i === 0 ? segment : `.${segment}`;
    })
    .join('');
}

function pathOf(error: ErrorObject): Path {
  if (error.instancePath === '') return [];
  return error.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

const KIND_OF_SECTION: Readonly<Record<string, string>> = {
  networks: 'network',
  addresses: 'address',
  volumes: 'volume',
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function schemaProblems(value: Data, locate: Locate): Problem[] {
  const problems: Problem[] = [];
  for (const e of validate(value)) {
    if (e.schemaPath.includes('/anyOf/') || e.schemaPath.includes('/oneOf/') || e.keyword === 'propertyNames') {
      continue;
    }
    const problem = schemaProblem(e, pathOf(e), locate);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

function schemaProblem(e: ErrorObject, path: Path, locate: Locate): Problem | undefined {
  const params = e.params as Record<string, unknown>;
  const where = label(path);
  const last = path.at(-1);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = Object.keys((e.parentSchema?.['properties'] ?? {}) as object).join(', ');
      const inside = path.length === 0 ? '' : ` in ${where}`;
      return error(locate([...path, key], 'key'), 'host.unknown-key', `unknown key "${key}"${inside} (expected one of: ${known})`);
    }
    case 'pattern':
      if (e.propertyName !== undefined) return nameProblem(path, e.propertyName, locate);
      if (last === 'source' || last === 0) {
        return error(locate(path, 'value'), 'host.relative-path', `${where} must be an absolute path, not "${String(e.data)}"`);
      }
      if (last === 'volume') {
        return error(
          locate(path, 'value'),
          'host.invalid-value',
          `${where}: "${String(e.data)}" is not a Docker volume name (letters, digits, "_", "." and "-", starting with a letter or digit, at least 2 characters)`,
        );
      }
      if (last === 'ndp-proxy') {
        return error(
          locate(path, 'value'),
          'host.invalid-value',
          `${where}: "${String(e.data)}" is not a network interface name (1 to 15 characters, no "/", ":" or spaces)`,
        );
      }
      break;
    case 'type': {
      const expected = TYPE_NAMES[String(params['type'])] ?? String(params['type']);
      const scalar = typeof e.data === 'number' || typeof e.data === 'boolean';
      const hint = params['type'] === 'string' && scalar ? ` (quote it: "${String(e.data)}")` : '';
      return error(locate(path, 'value'), 'host.wrong-type', `${where || 'the host file'} must be ${expected}${hint}`);
    }
    case 'required':
      return error(locate(path, 'key'), 'host.missing-key', `${where} needs the key "${String(params['missingProperty'])}"`);
    case 'minItems':
      return error(
        locate(path, 'value'),
        'host.empty-argv',
        `${where} is empty: give the provider's absolute path, then its arguments`,
      );
    case 'minLength':
      return error(locate(path, 'value'), 'host.invalid-value', `${where} must not be empty`);
    case 'exclusiveMinimum':
    case 'maximum':
      return error(
        locate(path, 'value'),
        'host.invalid-value',
        `${where} must be a number of seconds greater than 0 and at most 86400, not ${String(e.data)}`,
      );
    case 'anyOf':
      return alternativesProblem(path, e.data, locate);
    case 'oneOf':
      return alternativesProblem(path, e.data, locate);
  }
  return error(locate(path, 'value'), 'host.invalid-value', `${where || 'the host file'} ${e.message ?? 'is invalid'}`);
}

function nameProblem(path: Path, name: string, locate: Locate): Problem {
  const at = locate([...path, name], 'key');
  const kind = path.length === 1 ? KIND_OF_SECTION[String(path[0])] : undefined;
  if (kind !== undefined) {
    return error(
      at,
      'host.invalid-name',
      `"${name}" is not a valid ${kind} name (${NAME_HELP})`,
    );
  }
  return error(at, 'host.invalid-name', `"${name}" is not a valid key in ${label(path)} (it must not contain "=")`);
}

function alternativesProblem(path: Path, data: unknown, locate: Locate): Problem {
  const at = locate(path, 'key');
  const [section, name] = path;
  const entry = isRecord(data) ? data : {};
  if (section === 'networks') {
    return error(at, 'host.network-without-subnet', `network "${String(name)}" needs subnet6, subnet4 or both`);
  }
  if (section === 'addresses') {
    return error(at, 'host.address-without-ip', `address "${String(name)}" needs ipv6, ipv4 or both`);
  }
  if ('source' in entry && 'volume' in entry) {
    return error(
      at,
      'host.volume-source-and-volume',
      `volume "${String(name)}" has both source and volume: give a host directory (source) or a Docker volume (volume), not both`,
    );
  }
  return error(
    at,
    'host.volume-without-source',
    `volume "${String(name)}" needs source (a host directory) or volume (a Docker volume name)`,
  );
}

function entries(value: unknown): [string, Data][] {
  if (!isRecord(value)) return [];
  return Object.entries(value).filter((entry): entry is [string, Data] => isRecord(entry[1]));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function argv(value: unknown): Argv | undefined {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) return undefined;
  const [program, ...rest] = value;
  return program?.startsWith('/') ? [program, ...rest] : undefined;
}

/** `subnet6` ↔ `subnet4`, `ipv6` ↔ `ipv4`, `gateway6` ↔ `gateway4`. */
function otherFamilyKey(key: string): string {
  return key.endsWith('6') ? `${key.slice(0, -1)}4` : `${key.slice(0, -1)}6`;
}

function familyName(family: IpFamily): string {
  return family === 6 ? 'IPv6' : 'IPv4';
}

/** What the semantic checks share: the data, how to point into the file, where problems go. */
interface Checker {
  readonly data: Data;
  readonly locate: Locate;
  readonly report: (path: Path, code: string, message: string) => void;
}

function buildConfig(data: Data, file: string, locate: Locate, problems: Problem[]): HostConfig {
  const checker: Checker = {
    data,
    locate,
    report: (path, code, message) => problems.push(error(locate(path, 'value'), code, message)),
  };
  const networks = readNetworks(checker);
  const timeout = data['provider-timeout'];
  return {
    file,
    networks,
    addresses: readAddresses(checker, networks),
    volumes: readVolumes(checker),
    providers: readProviders(data),
    providerTimeoutSeconds: typeof timeout === 'number' ? timeout : DEFAULT_PROVIDER_TIMEOUT_SECONDS,
  };
}

function readNetworks(checker: Checker): Map<string, HostNetwork> {
  const networks = new Map<string, HostNetwork>();
  for (const [name, raw] of entries(checker.data['networks'])) {
    const base = ['networks', name] as const;
    const subnet6 = readSubnet(checker, [...base, 'subnet6'], 6);
    const gateway6 = readGateway(checker, base, 6, subnet6);
    const subnet4 = readSubnet(checker, [...base, 'subnet4'], 4);
    const gateway4 = readGateway(checker, base, 4, subnet4);
    const ndpProxy = text(raw['ndp-proxy']);
    const options = Object.entries(isRecord(raw['options']) ? raw['options'] : {}).map(([k, v]) => [k, String(v)] as const);
    networks.set(name, {
      name,
      ...(subnet6 === undefined ? {} : { subnet6 }),
      ...(gateway6 === undefined ? {} : { gateway6 }),
      ...(subnet4 === undefined ? {} : { subnet4 }),
      ...(gateway4 === undefined ? {} : { gateway4 }),
      ...(ndpProxy === undefined ? {} : { ndpProxy }),
      options: new Map(options),
      at: checker.locate(base, 'key'),
    });
  }
  checkOverlaps(networks, checker.report);
  return networks;
}

function readGateway(checker: Checker, base: Path, family: IpFamily, subnet: Subnet | undefined): string | undefined {
  const path = [...base, `gateway${family}`];
  const gateway = readAddress(checker, path, family);
  if (gateway === undefined) return undefined;
  if (valueAt(checker.data, [...base, `subnet${family}`]) === undefined) {
    checker.report(path, 'host.gateway-without-subnet', `${label(path)} needs subnet${family} in the same network`);
  } else if (subnet !== undefined && !subnetContains(subnet, gateway)) {
    checker.report(
      path,
      'host.gateway-outside-subnet',
      `${label(path)}: ${gateway} is outside the network's subnet${family} ${formatSubnet(subnet)}`,
    );
  }
  return gateway;
}

function checkOverlaps(networks: ReadonlyMap<string, HostNetwork>, report: Checker['report']): void {
  const seen: HostNetwork[] = [];
  for (const network of networks.values()) {
    for (const family of [6, 4] as const) {
      const key = `subnet${family}` as const;
      const subnet = network[key];
      if (subnet === undefined) continue;
      const other = seen.find((o) => o[key] !== undefined && subnetsOverlap(o[key], subnet));
      if (other?.[key] === undefined) continue;
      const path = ['networks', network.name, key];
      report(
        path,
        'host.overlapping-subnets',
        `${label(path)}: ${formatSubnet(subnet)} overlaps ${formatSubnet(other[key])} of network "${other.name}" (line ${other.at.line})`,
      );
    }
    seen.push(network);
  }
}

function readAddresses(checker: Checker, networks: ReadonlyMap<string, HostNetwork>): Map<string, HostAddress> {
  const addresses = new Map<string, HostAddress>();
  const holders = new Map<string, HostAddress>();
  for (const [name, raw] of entries(checker.data['addresses'])) {
    const base = ['addresses', name] as const;
    const networkName = text(raw['network']);
    const network = networkName === undefined ? undefined : networks.get(networkName);
    if (networkName !== undefined && network === undefined) {
      const path = [...base, 'network'];
      checker.report(path, 'host.unknown-network', `${label(path)}: there is no network "${networkName}" under networks:`);
    }
    const ipv6 = readAddress(checker, [...base, 'ipv6'], 6);
    const ipv4 = readAddress(checker, [...base, 'ipv4'], 4);
    const images = raw['images'];
    const address: HostAddress = {
      name,
      network: networkName ?? '',
      ...(ipv6 === undefined ? {} : { ipv6 }),
      ...(ipv4 === undefined ? {} : { ipv4 }),
      ...(Array.isArray(images) ? { images: images.map(String) } : {}),
      at: checker.locate(base, 'key'),
    };
    for (const family of [6, 4] as const) {
      const ip = address[`ipv${family}`];
      if (ip === undefined) continue;
      const path = [...base, `ipv${family}`];
      const holder = holders.get(ip);
      if (holder === undefined) holders.set(ip, address);
      else {
        checker.report(
          path,
          'host.duplicate-address',
          `${label(path)}: ${ip} is already the address of "${holder.name}" (line ${holder.at.line})`,
        );
      }
      if (network !== undefined) checkOnNetwork(checker, path, ip, family, network);
    }
    addresses.set(name, address);
  }
  return addresses;
}

function checkOnNetwork(checker: Checker, path: Path, ip: string, family: IpFamily, network: HostNetwork): void {
  const subnet = network[`subnet${family}`];
  if (valueAt(checker.data, ['networks', network.name, `subnet${family}`]) === undefined) {
    checker.report(
      path,
      'host.network-lacks-family',
      `${label(path)}: network "${network.name}" has no subnet${family} (add one to it, or remove ipv${family})`,
    );
  } else if (subnet !== undefined && !subnetContains(subnet, ip)) {
    checker.report(
      path,
      'host.address-outside-subnet',
      `${label(path)}: ${ip} is outside subnet${family} ${formatSubnet(subnet)} of network "${network.name}"`,
    );
  } else if (ip === network[`gateway${family}`]) {
    checker.report(path, 'host.address-is-gateway', `${label(path)}: ${ip} is the gateway of network "${network.name}"`);
  }
}

function readVolumes(checker: Checker): Map<string, HostVolume> {
  const volumes = new Map<string, HostVolume>();
  for (const [name, raw] of entries(checker.data['volumes'])) {
    const source = text(raw['source']);
    const volume = text(raw['volume']);
    const provider = argv(raw['provider']);
    const rest = {
      name,
      readOnly: raw['readonly'] === true,
      ...(provider === undefined ? {} : { provider }),
      at: checker.locate(['volumes', name], 'key'),
    };
    if (source !== undefined) volumes.set(name, { type: 'bind', source, ...rest });
    else if (volume !== undefined) volumes.set(name, { type: 'docker-volume', volume, ...rest });
  }
  return volumes;
}

function readProviders(data: Data): HostProviders {
  const raw = isRecord(data['providers']) ? data['providers'] : {};
  const providers: Mutable<HostProviders> = {};
  for (const kind of ['volume', 'address', 'network'] as const) {
    const command = argv(raw[kind]);
    if (command !== undefined) providers[kind] = command;
  }
  return providers;
}

function readAddress(checker: Checker, path: Path, family: IpFamily): string | undefined {
  const raw = text(valueAt(checker.data, path));
  if (raw === undefined) return undefined;
  const where = label(path);
  const problem = (message: string): undefined => {
    checker.report(path, 'host.invalid-address', `${where}: ${message}`);
    return undefined;
  };
  if (raw.includes('/')) return problem(`"${raw}" must be a single address, without /prefix`);
  if (raw.includes('%')) return problem(`"${raw}" must not carry a zone (%...)`);
  const ip = parseIpAddress(raw);
  if (ip === undefined) return problem(`"${raw}" is not an ${familyName(family)} address`);
  if (ip.family !== family) {
    return problem(`${raw} is an ${familyName(ip.family)} address; give it as ${otherFamilyKey(String(path.at(-1)))}`);
  }
  return ip.address;
}

function readSubnet(checker: Checker, path: Path, family: IpFamily): Subnet | undefined {
  const raw = text(valueAt(checker.data, path));
  if (raw === undefined) return undefined;
  const where = label(path);
  const problem = (message: string, code = 'host.invalid-subnet'): undefined => {
    checker.report(path, code, `${where}: ${message}`);
    return undefined;
  };
  const example = family === 6 ? '2001:db8:1::/64' : '192.0.2.0/24';
  const slash = raw.indexOf('/');
  if (slash < 0) return problem(`"${raw}" needs a /prefix, e.g. ${example}`);
  const ip = parseIpAddress(raw.slice(0, slash));
  if (ip === undefined) return problem(`"${raw}" is not an ${familyName(family)} subnet (ADDRESS/PREFIX, e.g. ${example})`);
  if (ip.family !== family) {
    return problem(`${raw} is an ${familyName(ip.family)} subnet; give it as ${otherFamilyKey(String(path.at(-1)))}`);
  }
  const bits = family === 6 ? 128 : 32;
  const prefixText = raw.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || prefix > bits) {
    return problem(`"${raw}" has an invalid prefix (0 to ${bits})`);
  }
  const subnet: Subnet = { family, address: ip.address, prefix };
  const network = networkAddress(subnet);
  if (network !== ip.address) {
    return problem(
      `${raw} has host bits set; the subnet is ${formatSubnet({ ...subnet, address: network })}`,
      'host.subnet-host-bits',
    );
  }
  return subnet;
}

function valueAt(data: Data, path: Path): unknown {
  let node: unknown = data;
  for (const segment of path) {
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
