import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine, EngineResult } from './engine.js';

// Asking the daemon over its local socket costs a fraction of a millisecond; each CLI query is a
// Go program starting (tens of milliseconds, competing with berth's own start on a small machine).
// Only queries whose answer berth can print exactly as the CLI prints it go this way, and only when
// the CLI itself would talk to that socket, so DOCKER_HOST, contexts and TLS stay the CLI's business.

/** The default socket of a local docker daemon, as the docker CLI assumes it. */
export const DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * The unix socket the docker CLI would talk to, when berth may ask the daemon there directly:
 * no DOCKER_HOST or a `unix://` one, and no docker context but the default (DOCKER_CONTEXT, or
 * `currentContext` in `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`). Undefined
 * means "leave it to the CLI". Podman keeps its CLI.
 */
export function localSocket(engine: Engine, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (engine.name !== 'docker') return undefined;
  const host = env['DOCKER_HOST'];
  if (host !== undefined && host !== '') {
    const path = host.startsWith('unix://') ? host.slice('unix://'.length) : '';
    return path.startsWith('/') ? path : undefined;
  }
  const context = env['DOCKER_CONTEXT'] || currentContext(env);
  return context === '' || context === 'default' ? DOCKER_SOCKET : undefined;
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

/** One CLI query and the Engine API request that answers it, with the answer printed as the CLI prints it. */
interface ApiQuery {
  readonly path: string;
  readonly print: (body: unknown) => string | undefined;
  /** An inspect: a 404 is "no such object", which the CLI reports with exit status 1. */
  readonly inspects: boolean;
}

// Names that go into a request path as they are (no character needs escaping); anything else,
// and `.`/`..` segments, is left to the CLI.
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/@+-]*$/;

/**
 * The API request standing in for `args`, or undefined when the CLI must run: only these forms,
 * exactly as the edge modules write them. `inspect` prints the engine's JSON as an array of one.
 */
export function apiQuery(args: readonly string[]): ApiQuery | undefined {
  const [first, second, third, fourth, ...rest] = args;
  if (first === 'version' && second === '--format' && third === '{{.Server.Version}}' && fourth === undefined) {
    const print = (body: unknown) => {
      const version = field(body, 'Version');
      return version === undefined ? undefined : `${version}\n`;
    };
    return { path: '/version', print, inspects: false };
  }
  if (second !== 'inspect' || third !== '--' || fourth === undefined || rest.length > 0 || !plainName(fourth)) return undefined;
  const print = (body: unknown) => (body !== null && typeof body === 'object' && !Array.isArray(body) ? `${JSON.stringify([body], null, 4)}\n` : undefined);
  if (first === 'image') return { path: `/images/${fourth}/json`, print, inspects: true };
  if (fourth.includes('/')) return undefined;
  if (first === 'network') return { path: `/networks/${fourth}`, print, inspects: true };
  if (first === 'volume') return { path: `/volumes/${fourth}`, print, inspects: true };
  return undefined;
}

function plainName(name: string): boolean {
  return PLAIN_NAME.test(name) && !name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
}

function field(body: unknown, key: string): string | undefined {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Answers `args` through the Engine API when it can, as the CLI would: the same output and exit
 * status 0, or for "not found" (404) exit status 1 with the daemon's message, worded as the CLI
 * words it. Undefined whenever the CLI must run: another endpoint, another query, a socket that
 * does not answer or any other reply, so that those cases keep the CLI's own behaviour and words.
 */
export function askEngineApi(engine: Engine, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<EngineResult | undefined> | undefined {
  const query = apiQuery(args);
  if (query === undefined) return undefined;
  const socket = localSocket(engine, env);
  if (socket === undefined) return undefined;
  const version = env['DOCKER_API_VERSION'] ?? '';
  if (version !== '' && !/^\d+\.\d+$/.test(version)) return undefined;
  const prefix = version === '' ? '' : `/v${version}`;
  return get(socket, `${prefix}${query.path}`).then((reply) => {
    if (reply === undefined) return undefined;
    const body = parse(reply.body);
    if (reply.status === 200) {
      const stdout = query.print(body);
      return stdout === undefined ? undefined : { exitCode: 0, stdout, stderr: '' };
    }
    const message = field(body, 'message');
    if (reply.status !== 404 || !query.inspects || message === undefined) return undefined;
    return { exitCode: 1, stdout: '[]\n', stderr: `Error response from daemon: ${message}\n` };
  });
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

// An unversioned path is served at the daemon's own API version, which needs no round trip to
// negotiate and is what the CLI settles on whenever the daemon is not newer than the CLI.
// node:http is loaded on the first query only: `berth build` never needs it. The connection goes
// straight to the socket, without an agent (nothing to pool, nothing to look up).
async function get(socketPath: string, path: string): Promise<Reply | undefined> {
  const [{ request }, { connect }] = await Promise.all([import('node:http'), import('node:net')]);
  return new Promise((resolve) => {
    const asked = request({ path, method: 'GET', createConnection: () => connect(socketPath) }, (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve(undefined));
    });
    asked.on('error', () => resolve(undefined));
    asked.end();
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
