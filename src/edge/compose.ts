import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BerthError, isBerthError } from '../core/errors.js';
import { engineAttached, engineCall, type Engine, type EngineResult } from './engine.js';

/** The compose command berth drives: the docker CLI's `compose` plugin, else `docker-compose`. */
export interface ComposeCli {
  readonly engine: Engine;
  /** Arguments before compose's own: `compose` for the plugin, none for docker-compose. */
  readonly prefix: readonly string[];
  /** How a message names it: `docker compose` or `docker-compose`. */
  readonly display: string;
}

/** `docker compose` when the docker CLI has the plugin (it answers `compose version`), else `docker-compose`. */
export async function findCompose(): Promise<ComposeCli> {
  const docker: Engine = { name: 'docker', command: 'docker' };
  const plugin = await engineCall(docker, ['compose', 'version']).catch(() => undefined);
  if (plugin?.exitCode === 0) return { engine: docker, prefix: ['compose'], display: 'docker compose' };
  return { engine: { name: 'docker', command: 'docker-compose' }, prefix: [], display: 'docker-compose' };
}

/** Runs compose and captures what it prints. */
export function composeCall(cli: ComposeCli, args: readonly string[]): Promise<EngineResult> {
  return engineCall(cli.engine, [...cli.prefix, ...args]).catch((caught: unknown) => missing(cli, caught));
}

/** Runs compose with the terminal attached and returns its exit status. */
export function composeAttached(cli: ComposeCli, args: readonly string[]): Promise<number> {
  return engineAttached(cli.engine, [...cli.prefix, ...args]).catch((caught: unknown) => missing(cli, caught));
}

function missing(cli: ComposeCli, caught: unknown): never {
  if (isBerthError(caught) && caught.code === 'engine.missing') {
    throw new BerthError(`cannot run ${cli.display}: the docker CLI has no compose plugin and docker-compose is not on PATH; install one of them`, { code: 'compose.missing', cause: caught });
  }
  throw caught;
}

// The file names compose looks for, in its order, and the override it adds beside the first found.
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

/**
 * The files compose reads when given no `-f`: `$COMPOSE_FILE`, else the first default name found
 * in `from` or a folder above it, with its override beside it. berth names them itself, since
 * adding its own `-f` stops compose from looking.
 */
export async function defaultComposeFiles(from: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const listed = env['COMPOSE_FILE'];
  if (listed) return listed.split(env['COMPOSE_PATH_SEPARATOR'] || ':').filter((f) => f !== '').map((f) => resolve(from, f));
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const found = await firstExisting(dir, DEFAULT_FILES);
    if (found) {
      const override = await firstExisting(dir, OVERRIDES);
      return override ? [found, override] : [found];
    }
    if (dirname(dir) === dir) return [];
  }
}

async function firstExisting(dir: string, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    const path = join(dir, name);
    if (await access(path).then(() => true, () => false)) return path;
  }
  return undefined;
}

/** The override file written into a private temporary folder, and how to remove it. */
export async function writeOverride(text: string): Promise<{ readonly path: string; readonly remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-compose-'));
  const path = join(dir, 'berth.override.yaml');
  await writeFile(path, text, { mode: 0o600 });
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The ids of a compose project's containers, stopped ones too, by service. */
export async function serviceContainers(engine: Engine, project: string): Promise<ReadonlyMap<string, readonly string[]>> {
  const listed = await engineCall(engine, ['ps', '--all', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.ID}} {{.Label "com.docker.compose.service"}}']);
  const byService = new Map<string, string[]>();
  if (listed.exitCode !== 0) return byService;
  for (const line of listed.stdout.split('\n')) {
    const [id, service] = line.trim().split(' ');
    if (!id || !service) continue;
    byService.set(service, [...(byService.get(service) ?? []), id]);
  }
  return byService;
}
