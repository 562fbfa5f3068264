import { BerthError, EXIT_CANNOT_START } from '../errors.js';

/** A service's build section, as `compose config` writes it (context made absolute). */
export interface ComposeBuild {
  readonly context: string;
  readonly dockerfile?: string;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
}

/** What berth reads of one service of the merged project. */
export interface ComposeService {
  readonly name: string;
  readonly image?: string;
  readonly build?: ComposeBuild;
  /** The networks the service's own files give it, with the addresses they give it there. */
  readonly networks: readonly { readonly name: string; readonly ipv6?: string; readonly ipv4?: string }[];
  readonly networkMode?: string;
  /** Container paths the service's own files mount something at. */
  readonly mountTargets: readonly string[];
  /** `x-berth: {bind: {NEED-NAME: HOST-NAME}}`. */
  readonly bind: ReadonlyMap<string, string>;
}

/** The project as `compose config` prints it, read once into typed values. */
export interface ComposeProject {
  readonly name?: string;
  readonly services: readonly ComposeService[];
}

type Data = Record<string, unknown>;

/** Reads the output of `compose config` (parsed YAML); anything berth does not understand is refused, naming where. */
export function readComposeProject(data: unknown): ComposeProject {
  if (!isData(data) || !isData(data['services'])) throw bad('the merged compose file has no services: mapping');
  const services = Object.entries(data['services']).map(([name, value]) => readService(name, value));
  return { ...(typeof data['name'] === 'string' ? { name: data['name'] } : {}), services };
}

function readService(name: string, value: unknown): ComposeService {
  if (!isData(value)) throw bad(`service ${name} is not a mapping`);
  const image = value['image'];
  const build = value['build'] === undefined ? undefined : readBuild(name, value['build']);
  const mode = value['network_mode'];
  return {
    name,
    ...(typeof image === 'string' ? { image } : {}),
    ...(build ? { build } : {}),
    networks: readNetworks(name, value['networks']),
    ...(typeof mode === 'string' ? { networkMode: mode } : {}),
    mountTargets: readTargets(name, value['volumes']),
    bind: readBind(name, value['x-berth']),
  };
}

function readBuild(service: string, build: unknown): ComposeBuild {
  if (typeof build === 'string') return { context: build, args: {} };
  if (!isData(build) || typeof build['context'] !== 'string') throw bad(`service ${service}: build has no context`);
  const args: Record<string, string> = {};
  const given = build['args'];
  if (isData(given)) for (const [key, v] of Object.entries(given)) if (v !== null && v !== undefined) args[key] = String(v);
  if (Array.isArray(given)) {
    for (const entry of given) {
      const text = String(entry);
      const equals = text.indexOf('=');
      if (equals > 0) args[text.slice(0, equals)] = text.slice(equals + 1);
    }
  }
  return {
    context: build['context'],
    args,
    ...(typeof build['dockerfile'] === 'string' ? { dockerfile: build['dockerfile'] } : {}),
    ...(typeof build['target'] === 'string' ? { target: build['target'] } : {}),
  };
}

function readNetworks(service: string, networks: unknown): ComposeService['networks'] {
  if (networks === undefined || networks === null) return [];
  if (Array.isArray(networks)) return networks.map((n) => ({ name: String(n) }));
  if (!isData(networks)) throw bad(`service ${service}: networks is neither a list nor a mapping`);
  return Object.entries(networks).map(([name, join]) => ({
    name,
    ...(isData(join) && typeof join['ipv6_address'] === 'string' ? { ipv6: join['ipv6_address'] } : {}),
    ...(isData(join) && typeof join['ipv4_address'] === 'string' ? { ipv4: join['ipv4_address'] } : {}),
  }));
}

// docker-compose 1.x prints the short form (SOURCE:TARGET:MODE), the plugin the long one.
function readTargets(service: string, volumes: unknown): string[] {
  if (volumes === undefined || volumes === null) return [];
  if (!Array.isArray(volumes)) throw bad(`service ${service}: volumes is not a list`);
  return volumes.flatMap((volume) => {
    if (isData(volume) && typeof volume['target'] === 'string') return [volume['target']];
    if (typeof volume !== 'string') return [];
    const parts = volume.split(':');
    return [parts.length === 1 ? (parts[0] ?? '') : (parts[1] ?? '')];
  });
}

function readBind(service: string, extension: unknown): ReadonlyMap<string, string> {
  if (extension === undefined || extension === null) return new Map();
  const bind = isData(extension) ? extension['bind'] : undefined;
  if (!isData(extension) || Object.keys(extension).some((key) => key !== 'bind') || (bind !== undefined && !isData(bind))) {
    throw bad(`service ${service}: x-berth may only hold bind: {NEED-NAME: HOST-NAME, ...}`);
  }
  const map = new Map<string, string>();
  for (const [need, host] of Object.entries(bind ?? {})) {
    if (typeof host !== 'string') throw bad(`service ${service}: x-berth bind ${need} must name a host entry`);
    map.set(need, host);
  }
  return map;
}

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string): BerthError {
  return new BerthError(`${message}; nothing was created`, { code: 'compose.bad-project', exitCode: EXIT_CANNOT_START });
}
