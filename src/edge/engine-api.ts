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

/** One CLI query and the API requests that answer it, with the answers printed as the CLI prints them. */
interface ApiQuery {
  /** One request, or one per object for an inspect of several; all are asked at once. */
  readonly paths: readonly string[];
  /** The CLI's output for the bodies of the answers, in the order of `paths`. */
  readonly print: (bodies: readonly unknown[]) => string | undefined;
  /** For an inspect of one object: what the CLI says when the engine answers 404, given the engine's message. */
  readonly notFound?: (message: string) => EngineResult;
}

/** How each engine's CLI asks a question and words "not found", and where its API answers it. */
const DIALECTS = {
  docker: {
    versionArgs: ['version', '--format', '{{.Server.Version}}'],
    versionPath: '/version',
    inspectPath: {
      image: (name: string) => `/images/${name}/json`,
      network: (name: string) => `/networks/${name}`,
      volume: (name: string) => `/volumes/${name}`,
      container: (name: string) => `/containers/${name}/json`,
    },
    containersPath: '/containers/json',
    allContainers: 'all=1',
    // The docker CLI prints the list in the engine's order (newest first).
    containersOrder: (items: readonly unknown[]) => items,
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
      container: (name: string) => `/v4.0.0/libpod/containers/${name}/json`,
    },
    containersPath: '/v4.0.0/libpod/containers/json',
    allContainers: 'all=true',
    // The podman CLI sorts the list itself, by default oldest first (`ps --sort created`).
    containersOrder: (items: readonly unknown[]) => [...items].sort((a, b) => compareCreated(field(a, 'Created'), field(b, 'Created'))),
    notFound: (message: string): EngineResult => ({ exitCode: 125, stdout: '[]\n', stderr: `Error: ${message}\n` }),
  },
} as const;

type Dialect = (typeof DIALECTS)[keyof typeof DIALECTS];

// Names that go into a request path as they are (no character needs escaping); anything else,
// and `.`/`..` segments, is left to the CLI.
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/@+-]*$/;

/**
 * The API requests standing in for `args` on `engine`, or undefined when the CLI must run: only
 * these forms, exactly as the edge modules write them. An inspect prints the engine's JSON as an
 * array, as the CLIs do without `--format`; the version query prints the server's version; `ps`
 * prints one full id a line.
 */
export function apiQuery(engine: Engine, args: readonly string[]): ApiQuery | undefined {
  const dialect = DIALECTS[engine.name];
  if (args.length === dialect.versionArgs.length && args.every((arg, i) => arg === dialect.versionArgs[i])) {
    const print = ([body]: readonly unknown[]) => {
      const version = field(body, 'Version');
      return version === undefined ? undefined : `${version}\n`;
    };
    return { paths: [dialect.versionPath], print };
  }
  if (args[0] === 'ps') return containerListQuery(dialect, args);
  const [kind, verb, dashes, ...names] = args;
  if (verb !== 'inspect' || dashes !== '--' || names.length === 0 || !names.every(plainName)) return undefined;
  if (kind !== 'image' && kind !== 'network' && kind !== 'volume' && kind !== 'container') return undefined;
  if (kind !== 'image' && names.some((name) => name.includes('/'))) return undefined;
  const print = (bodies: readonly unknown[]) => (bodies.every(isObject) ? `${JSON.stringify(bodies, null, 4)}\n` : undefined);
  const paths = names.map(dialect.inspectPath[kind]);
  // Containers, one or several: only when every one is found; the CLI owns what it prints for any
  // it cannot find (which berth then reads as "not there" or "no answer").
  if (kind === 'container') return { paths, print };
  return names.length === 1 ? { paths, print, notFound: dialect.notFound } : undefined;
}

// Filters berth asks `ps` for; the engine applies them as its CLI would have it apply them.
const LIST_FILTERS = new Set(['network', 'label']);

// `ps --quiet --no-trunc [--all] [--filter network=N | label=K ...]`: the containers (running,
// or all), one full id a line.
function containerListQuery(dialect: Dialect, args: readonly string[]): ApiQuery | undefined {
  if (args[1] !== '--quiet' || args[2] !== '--no-trunc') return undefined;
  const all = args[3] === '--all';
  const options = args.slice(all ? 4 : 3);
  const filters: Record<string, string[]> = {};
  for (let i = 0; i < options.length; i += 2) {
    const filter = options[i + 1] ?? '';
    const equals = filter.indexOf('=');
    const key = filter.slice(0, equals);
    const value = filter.slice(equals + 1);
    if (options[i] !== '--filter' || equals < 0 || !LIST_FILTERS.has(key) || value === '') return undefined;
    (filters[key] ??= []).push(value);
  }
  const params = [...(all ? [dialect.allContainers] : []), ...(Object.keys(filters).length > 0 ? [`filters=${encodeURIComponent(JSON.stringify(filters))}`] : [])];
  const print = ([body]: readonly unknown[]) => {
    if (!Array.isArray(body)) return undefined;
    const ids = dialect.containersOrder(body).map((item) => field(item, 'Id'));
    return ids.every((id): id is string => id !== undefined) ? ids.map((id) => `${id}\n`).join('') : undefined;
  };
  return { paths: [params.length === 0 ? dialect.containersPath : `${dialect.containersPath}?${params.join('&')}`], print };
}

// Orders two RFC 3339 times (as Go writes them, with up to nine digits of fraction) in time.
function compareCreated(a: string | undefined, b: string | undefined): number {
  const [secondsA, fractionA] = splitTime(a);
  const [secondsB, fractionB] = splitTime(b);
  return secondsA - secondsB || (fractionA < fractionB ? -1 : fractionA > fractionB ? 1 : 0);
}

function splitTime(time: string | undefined): [number, string] {
  const match = /^([^.]*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time ?? '');
  const seconds = match ? Date.parse(`${match[1]}${match[3]}`) : NaN;
  return [Number.isNaN(seconds) ? 0 : seconds, (match?.[2] ?? '').padEnd(9, '0')];
}

function isObject(body: unknown): boolean {
  return body !== null && typeof body === 'object' && !Array.isArray(body);
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
 * exit status 0, or for an inspect of one image, network or volume that is not found (404) the
 * CLI's exit status with the engine's message, worded as the CLI words it. Undefined whenever the
 * CLI must run: another endpoint, another query, a socket that does not answer or any other
 * reply, so that those keep the CLI's own behaviour and words. `socket` is where to ask, by
 * default `localSocket`; `idleMs` how long it may stay silent.
 */
export function askEngineApi(
  engine: Engine,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  socket: string | undefined = localSocket(engine, env),
  idleMs = ENGINE_SOCKET_IDLE_MS,
): Promise<EngineResult | undefined> | undefined {
  const query = apiQuery(engine, args);
  if (query === undefined || socket === undefined) return undefined;
  const prefix = engine.name === 'docker' ? dockerVersionPrefix(env) : '';
  if (prefix === undefined) return undefined;
  return Promise.all(query.paths.map((path) => get(socket, `${prefix}${path}`, idleMs))).then((replies) => {
    if (!replies.every((reply): reply is Reply => reply !== undefined)) return undefined;
    const bodies = replies.map((reply) => parse(reply.body));
    if (replies.every((reply) => reply.status === 200)) {
      const stdout = query.print(bodies);
      return stdout === undefined ? undefined : { exitCode: 0, stdout, stderr: '' };
    }
    const message = field(bodies[0], 'message');
    return replies.length === 1 && replies[0]?.status === 404 && message !== undefined ? query.notFound?.(message) : undefined;
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
// closes, never keeping the connection alive and never chunking (servers chunk only for HTTP/1.1
// clients), so the answer is what arrives until the close, or as much as its Content-Length says
// when something in between keeps the connection open. A socket silent for `idleMs` is left to the
// CLI. node:http says the same in about 3 ms more of every berth start, most of it loading itself
// and setting up its first request.
function get(socketPath: string, path: string, idleMs: number): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let expected: number | 'until the end' | undefined;
    const socket = connect(socketPath);
    const done = (reply: Reply | undefined) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(idleMs, () => done(undefined));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      expected ??= answerLength(Buffer.concat(chunks, received));
      if (typeof expected === 'number' && received >= expected) done(readReply(Buffer.concat(chunks, received).subarray(0, expected)));
    });
    socket.on('end', () => done(readReply(Buffer.concat(chunks, received))));
    socket.on('error', () => done(undefined));
    // Written, not ended: a server may take a half-closed connection for a client that left.
    socket.write(`GET ${path} HTTP/1.0\r\nHost: docker\r\n\r\n`);
  });
}

/** How long a socket may stay silent before berth asks the CLI instead. */
export const ENGINE_SOCKET_IDLE_MS = 30_000;

// The whole answer's length, once its head has arrived: head and body if the head names a
// Content-Length, else whatever comes until the end.
function answerLength(answer: Buffer): number | 'until the end' | undefined {
  const headEnd = answer.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const length = /^content-length:[ \t]*(\d+)[ \t]*$/im.exec(answer.subarray(0, headEnd).toString('latin1'))?.[1];
  return length === undefined ? 'until the end' : headEnd + 4 + Number(length);
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
