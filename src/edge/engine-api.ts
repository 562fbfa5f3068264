import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine, EngineResult } from './engine.js';

// Asking the engine over its local socket costs a fraction of a millisecond; each CLI query is a
// program starting (tens of milliseconds, competing with berth's own start on a small machine).
// Only queries whose answer berth can print exactly as the CLI prints it go this way, and only when
// the CLI itself would talk to that engine, so DOCKER_HOST, contexts and TLS stay the CLI's business.

/** The default socket of a local docker daemon, as the docker CLI assumes it. */
export const DOCKER_SOCKET = '/var/run/docker.sock';
/** Where podman's API service listens for root when it runs (e.g. podman.socket). */
export const PODMAN_ROOT_SOCKET = '/run/podman/podman.sock';

/**
 * The unix socket berth may ask directly, undefined for "leave it to the CLI". Docker: the one
 * its CLI would talk to, when there is no DOCKER_HOST or a `unix://` one and no docker context
 * but the default (DOCKER_CONTEXT, or `currentContext` in `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`). Podman works without a service: its API socket only when one is
 * already listening there, and no remote connection is named. `BERTH_ENGINE_API=0` keeps every
 * query on the CLI, for a `docker` on PATH that is a wrapper doing more than the CLI does.
 */
export function localSocket(engine: Engine, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['BERTH_ENGINE_API'] === '0') return undefined;
  return engine.name === 'docker' ? dockerSocket(env) : podmanSocket(env);
}

function dockerSocket(env: NodeJS.ProcessEnv): string | undefined {
  const host = env['DOCKER_HOST'];
  if (host !== undefined && host !== '') {
    const path = host.startsWith('unix://') ? host.slice('unix://'.length) : '';
    return path.startsWith('/') ? path : undefined;
  }
  const context = env['DOCKER_CONTEXT'] || currentContext(env);
  return context === '' || context === 'default' ? DOCKER_SOCKET : undefined;
}

function podmanSocket(env: NodeJS.ProcessEnv): string | undefined {
  if (env['CONTAINER_HOST'] || env['CONTAINER_CONNECTION']) return undefined;
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  const path = process.getuid?.() === 0 ? PODMAN_ROOT_SOCKET : runtimeDir ? join(runtimeDir, 'podman', 'podman.sock') : undefined;
  try {
    return path !== undefined && statSync(path).isSocket() ? path : undefined;
  } catch {
    return undefined;
  }
}

// The context named in the CLI's config file; a file that cannot be read the way the CLI reads it
// is left to the CLI (undefined compares unequal to any context berth could use).
function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  const dir = env['DOCKER_CONFIG'] || join(homedir(), '.docker');
  let text: string;
  try {
    text = readFileSync(join(dir, 'config.json'), 'utf8');
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'ENOENT' ? '' : undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const value = (parsed as Record<string, unknown>)['currentContext'];
    return value === undefined ? '' : typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** One CLI query and the API request that answers it, with the answer printed as the CLI prints it. */
interface ApiQuery {
  readonly path: string;
  readonly print: (body: unknown) => string | undefined;
  /** For an inspect: what the CLI says when the engine answers 404, given the engine's message. */
  readonly notFound?: (message: string) => EngineResult;
}

/** How each engine's CLI asks a question and words "not found", and where its API answers it. */
const DIALECTS = {
  docker: {
    versionArgs: ['version', '--format', '{{.Server.Version}}'],
    versionPath: '/version',
    inspectPath: { image: (name: string) => `/images/${name}/json`, network: (name: string) => `/networks/${name}`, volume: (name: string) => `/volumes/${name}` },
    containersPath: '/containers/json?all=1&filters=',
    notFound: (message: string): EngineResult => ({ exitCode: 1, stdout: '[]\n', stderr: `Error response from daemon: ${message}\n` }),
  },
  // Podman's own API (libpod) answers in the podman CLI's shapes; 4.0.0 is the oldest it serves.
  podman: {
    versionArgs: ['info', '--format', '{{.Version.Version}}'],
    versionPath: '/v4.0.0/libpod/version',
    inspectPath: {
      image: (name: string) => `/v4.0.0/libpod/images/${name}/json`,
      network: (name: string) => `/v4.0.0/libpod/networks/${name}/json`,
      volume: (name: string) => `/v4.0.0/libpod/volumes/${name}/json`,
    },
    containersPath: '/v4.0.0/libpod/containers/json?all=true&filters=',
    notFound: (message: string): EngineResult => ({ exitCode: 125, stdout: '[]\n', stderr: `Error: ${message}\n` }),
  },
} as const;

// Names that go into a request path as they are (no character needs escaping); anything else,
// and `.`/`..` segments, is left to the CLI.
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/@+-]*$/;

/**
 * The API request standing in for `args` on `engine`, or undefined when the CLI must run: only
 * these forms, exactly as the edge modules write them. An inspect prints the engine's JSON as an
 * array of one, as the CLIs do; the version query prints the server's version.
 */
export function apiQuery(engine: Engine, args: readonly string[]): ApiQuery | undefined {
  const dialect = DIALECTS[engine.name];
  if (args.length === dialect.versionArgs.length && args.every((arg, i) => arg === dialect.versionArgs[i])) {
    const print = (body: unknown) => {
      const version = field(body, 'Version');
      return version === undefined ? undefined : `${version}\n`;
    };
    return { path: dialect.versionPath, print };
  }
  const containers = containerListQuery(dialect.containersPath, args);
  if (containers !== undefined) return containers;
  const [kind, verb, dashes, name, ...rest] = args;
  if (verb !== 'inspect' || dashes !== '--' || name === undefined || rest.length > 0 || !plainName(name)) return undefined;
  if (kind !== 'image' && kind !== 'network' && kind !== 'volume') return undefined;
  if (kind !== 'image' && name.includes('/')) return undefined;
  const print = (body: unknown) => (body !== null && typeof body === 'object' && !Array.isArray(body) ? `${JSON.stringify([body], null, 4)}\n` : undefined);
  return { path: dialect.inspectPath[kind](name), print, notFound: dialect.notFound };
}

// `ps --quiet --no-trunc --all --filter network=A ...`: the containers on any of the networks,
// running or not, one full id a line.
const CONTAINER_LIST = ['ps', '--quiet', '--no-trunc', '--all'];

function containerListQuery(path: string, args: readonly string[]): ApiQuery | undefined {
  if (!CONTAINER_LIST.every((arg, i) => args[i] === arg)) return undefined;
  const filters = args.slice(CONTAINER_LIST.length);
  const networks: string[] = [];
  for (let i = 0; i < filters.length; i += 2) {
    const value = filters[i + 1];
    if (filters[i] !== '--filter' || value === undefined || !value.startsWith('network=')) return undefined;
    networks.push(value.slice('network='.length));
  }
  if (networks.length === 0) return undefined;
  const print = (body: unknown) => {
    if (!Array.isArray(body)) return undefined;
    const ids = body.map((item) => field(item, 'Id'));
    return ids.every((id): id is string => id !== undefined) ? ids.map((id) => `${id}\n`).join('') : undefined;
  };
  return { path: `${path}${encodeURIComponent(JSON.stringify({ network: networks }))}`, print };
}

function plainName(name: string): boolean {
  return PLAIN_NAME.test(name) && !name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
}

function field(body: unknown, key: string): string | undefined {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Answers `args` through the engine's API when it can, as the CLI would: the same output and
 * exit status 0, or for "not found" (404) the CLI's exit status with the engine's message, worded
 * as the CLI words it. Undefined whenever the CLI must run: another endpoint, another query, a
 * socket that does not answer or any other reply, so that those keep the CLI's own behaviour
 * and words. `socket` is where to ask, by default `localSocket`.
 */
export function askEngineApi(
  engine: Engine,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  socket: string | undefined = localSocket(engine, env),
): Promise<EngineResult | undefined> | undefined {
  const query = apiQuery(engine, args);
  if (query === undefined || socket === undefined) return undefined;
  const prefix = engine.name === 'docker' ? dockerVersionPrefix(env) : '';
  if (prefix === undefined) return undefined;
  return get(socket, `${prefix}${query.path}`).then((reply) => {
    if (reply === undefined) return undefined;
    const body = parse(reply.body);
    if (reply.status === 200) {
      const stdout = query.print(body);
      return stdout === undefined ? undefined : { exitCode: 0, stdout, stderr: '' };
    }
    const message = field(body, 'message');
    return reply.status === 404 && message !== undefined ? query.notFound?.(message) : undefined;
  });
}

// The docker CLI asks for DOCKER_API_VERSION when it is set; one it would refuse is its to refuse.
function dockerVersionPrefix(env: NodeJS.ProcessEnv): string | undefined {
  const version = env['DOCKER_API_VERSION'] ?? '';
  if (version === '') return '';
  return /^\d+\.\d+$/.test(version) ? `/v${version}` : undefined;
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

// An unversioned path is served at the daemon's own API version, which needs no round trip to
// negotiate and is what the CLI settles on whenever the daemon is not newer than the CLI.
// The request is HTTP/1.0, one per connection, straight to the socket: the engine answers and
// closes, so the answer is all that arrives before the end, never kept alive and never chunked
// (servers chunk only for HTTP/1.1 clients). node:http says the same in about 3 ms more of every
// berth start, most of it loading itself and setting up its first request.
function get(socketPath: string, path: string): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(socketPath);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(readReply(Buffer.concat(chunks))));
    socket.on('error', () => resolve(undefined));
    // Written, not ended: a server may take a half-closed connection for a client that left.
    socket.write(`GET ${path} HTTP/1.0\r\nHost: docker\r\n\r\n`);
  });
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) /;

// The status and body of a whole HTTP/1.0 answer; undefined for anything else.
function readReply(answer: Buffer): Reply | undefined {
  const headEnd = answer.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...headers] = answer.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = STATUS_LINE.exec(statusLine)?.[1];
  if (status === undefined || headers.some((header) => /^transfer-encoding:/i.test(header))) return undefined;
  return { status: Number(status), body: answer.subarray(headEnd + 4).toString('utf8') };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
