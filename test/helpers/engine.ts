// The real container engine for integration tests: running its CLI, a local base image (no
// registry is reachable), unique names per run, and removal of everything a test created.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, copyFile, mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { skipFor } from './skip.js';

export type Engine = 'docker' | 'podman';

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The process's exit status; -1 when it could not start, was killed or timed out. */
  readonly exitCode: number;
}

export interface CliOptions {
  readonly engine?: Engine;
  /** Written to the command's stdin; stdin is empty otherwise. */
  readonly input?: string | Uint8Array;
  /** Added to this process's environment (after the engine's own additions, see `engineEnv`). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Default 120 s; the command is killed after it. */
  readonly timeoutMs?: number;
}

/** The image every integration test starts from: busybox-static and symlinks, made locally. */
export const BASE_IMAGE = 'berth-test/busybox:1';

/** Applets linked into the base image's /bin (busybox itself answers for all of them). */
export const BASE_IMAGE_APPLETS: readonly string[] = [
  'sh', 'ash', 'cat', 'echo', 'env', 'true', 'false', 'sleep', 'ls', 'mkdir', 'rm', 'touch',
  'test', '[', 'grep', 'sed', 'head', 'tail', 'wc', 'printf', 'id', 'hostname', 'ps', 'kill',
  'mount', 'stat', 'readlink', 'timeout', 'httpd', 'wget', 'nc', 'ip', 'ifconfig', 'route',
  'netstat', 'nslookup', 'ping', 'ping6',
];

const CONTAINERS_CONF = fileURLToPath(new URL('../engine/containers.conf', import.meta.url));

/**
 * Environment an engine needs here. Podman's default ulimits exceed this machine's hard limits,
 * so it reads test/engine/containers.conf unless CONTAINERS_CONF is already set.
 * Pass it on to any process that itself runs the engine (e.g. `berth --engine podman`).
 */
export function engineEnv(engine: Engine): Record<string, string> {
  if (engine === 'podman' && process.env['CONTAINERS_CONF'] === undefined) {
    return { CONTAINERS_CONF };
  }
  return {};
}

/**
 * Runs `docker ARGS` (the `docker` on PATH), or `podman ARGS` with `engine: 'podman'`;
 * never throws: a failure is in the result.
 */
export async function docker(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const engine = options.engine ?? 'docker';
  const result = await execa(engine, args, {
    reject: false,
    env: { ...engineEnv(engine), ...options.env },
    timeout: options.timeoutMs ?? 120_000,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  if (result.timedOut || result.exitCode === undefined) {
    const stderr = [result.stderr, result.shortMessage].filter((text) => text !== '').join('\n');
    return { stdout: result.stdout, stderr, exitCode: -1 };
  }
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
}

/** `docker(args, { engine: 'podman', ...options })`. */
export function podman(args: readonly string[], options: Omit<CliOptions, 'engine'> = {}): Promise<CliResult> {
  return docker(args, { ...options, engine: 'podman' });
}

/** Like `docker`, for steps that must work: returns stdout, throws with the command and its stderr. */
export async function dockerOk(args: readonly string[], options: CliOptions = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.exitCode !== 0) {
    throw new Error(`${options.engine ?? 'docker'} ${args.join(' ')} exited ${result.exitCode}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** True when the engine answers `info`. */
export async function engineAvailable(engine: Engine = 'docker'): Promise<boolean> {
  return (await docker(['info'], { engine, timeoutMs: 30_000 })).exitCode === 0;
}

/**
 * A node:test `skip` value for an engine's tests: false when the engine answers, else the
 * reason, printed. Under CI (`CI=true`) a missing engine throws: nothing may be skipped there.
 */
export async function engineSkip(engine: Engine = 'docker'): Promise<false | string> {
  if (await engineAvailable(engine)) return false;
  return skipFor(`${engine} does not answer '${engine} info' (start it with test/engine/ensure-engine.sh)`);
}

/** A name prefix unique to this run, for every object a test creates: `berthtest-<pid>-<hex>`. */
export function testPrefix(): string {
  return `berthtest-${process.pid}-${randomBytes(3).toString('hex')}`;
}

const pendingBaseImages = new Map<Engine, Promise<string>>();

/**
 * Makes BASE_IMAGE exist in the engine, importing it once; safe when several test files (and
 * several calls in one file) ask at the same time. Returns the image's name.
 */
export function ensureBaseImage(engine: Engine = 'docker'): Promise<string> {
  let pending = pendingBaseImages.get(engine);
  if (pending === undefined) {
    pending = importBaseImageOnce(engine);
    pending.catch(() => pendingBaseImages.delete(engine));
    pendingBaseImages.set(engine, pending);
  }
  return pending;
}

async function importBaseImageOnce(engine: Engine): Promise<string> {
  const exists = async () => (await docker(['image', 'inspect', BASE_IMAGE], { engine })).exitCode === 0;
  if (await exists()) {
    return BASE_IMAGE;
  }
  // Other processes may be importing too: the lock makes one of them do it, the rest reuse it.
  await withLockFile(join(tmpdir(), `berth-test-base-image-${engine}.lock`), async () => {
    if (await exists()) {
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'berth-base-image-'));
    try {
      const tarball = join(dir, 'rootfs.tar');
      await writeRootfs(join(dir, 'rootfs'));
      await execa('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', join(dir, 'rootfs'), '-cf', tarball, '.']);
      await dockerOk(
        [
          'import',
          '--change', 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin',
          '--change', 'CMD ["sh"]',
          tarball, BASE_IMAGE,
        ],
        { engine },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  return BASE_IMAGE;
}

async function writeRootfs(root: string): Promise<void> {
  for (const dir of ['bin', 'etc', 'root', 'tmp', 'var/www', 'proc', 'sys', 'dev']) {
    await mkdir(join(root, dir), { recursive: true });
  }
  await chmod(join(root, 'tmp'), 0o1777);
  await copyFile(await staticBusybox(), join(root, 'bin/busybox'));
  await chmod(join(root, 'bin/busybox'), 0o755);
  for (const applet of BASE_IMAGE_APPLETS) {
    await symlink('busybox', join(root, 'bin', applet));
  }
  await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  await writeFile(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
}

/** $BERTH_TEST_BUSYBOX, else the busybox-static binary; a dynamic busybox would not run in the image. */
async function staticBusybox(): Promise<string> {
  const candidates = [process.env['BERTH_TEST_BUSYBOX'], '/bin/busybox', '/usr/bin/busybox'];
  for (const path of candidates) {
    if (path === undefined) continue;
    const head = await readFile(path).then((bytes) => bytes.subarray(0, 65_536), () => undefined);
    if (head !== undefined && isStaticElf(head)) {
      return path;
    }
  }
  throw new Error(
    'no static busybox found for the test base image: install busybox-static (apt-get install -y busybox-static) or set BERTH_TEST_BUSYBOX',
  );
}

/** A 64-bit little-endian ELF executable without a PT_INTERP (program interpreter) header. */
function isStaticElf(bytes: Buffer): boolean {
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46 || bytes[4] !== 2 || bytes[5] !== 1) {
    return false;
  }
  const phoff = Number(bytes.readBigUInt64LE(0x20));
  const phentsize = bytes.readUInt16LE(0x36);
  const phnum = bytes.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i += 1) {
    const at = phoff + i * phentsize;
    if (at + 4 > bytes.length) return false;
    if (bytes.readUInt32LE(at) === 3) return false;
  }
  return true;
}

async function withLockFile(path: string, body: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await lockHolderIsGone(path)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`waited 120 s for ${path}; remove it if no berth test is running`);
      }
      await sleep(100);
    }
  }
  try {
    await body();
  } finally {
    await rm(path, { force: true });
  }
}

async function lockHolderIsGone(path: string): Promise<boolean> {
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) {
    return false; // being written right now, or already removed: look again shortly
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export type ObjectKind = 'container' | 'network' | 'volume' | 'image';

const NOT_THERE = /no such|not found|not known|does not exist/i;

/**
 * Everything a test created, removed by `run()` (force, missing objects ignored): containers
 * first, then networks, volumes and images (newest image first, one at a time), then the
 * test's own undo steps, newest first.
 * With a `prefix`, `run()` also sweeps every container, network and volume named with it,
 * so objects the code under test created are removed too.
 */
export class Cleanup {
  readonly engine: Engine;
  readonly prefix: string | undefined;
  private readonly objects: Record<ObjectKind, Set<string>> = {
    container: new Set(), network: new Set(), volume: new Set(), image: new Set(),
  };
  private readonly undo: Array<() => Promise<void>> = [];

  constructor(options: { readonly engine?: Engine; readonly prefix?: string } = {}) {
    this.engine = options.engine ?? 'docker';
    this.prefix = options.prefix;
  }

  container(name: string): string { return this.add('container', name); }
  network(name: string): string { return this.add('network', name); }
  volume(name: string): string { return this.add('volume', name); }
  image(name: string): string { return this.add('image', name); }

  /** Registers any other undo step (run after the engine objects are gone). */
  defer(step: () => Promise<void>): void {
    this.undo.push(step);
  }

  /** Removes everything registered; safe to call more than once. Throws if anything stays. */
  async run(): Promise<void> {
    if (this.prefix !== undefined) {
      for (const { kind, name } of await listWithPrefix(this.prefix, this.engine)) {
        this.objects[kind].add(name);
      }
    }
    const failures: string[] = [];
    for (const kind of ['container', 'network', 'volume'] as const) {
      const names = [...this.objects[kind]];
      this.objects[kind].clear();
      const results = await Promise.all(names.map((name) => this.remove(kind, name)));
      failures.push(...results.filter((failure): failure is string => failure !== undefined));
    }
    // Images one at a time, children before parents: removing a parent while its child goes
    // makes the engine fail the child ("unrecognized image ID").
    const images = await this.newestFirst([...this.objects.image]);
    this.objects.image.clear();
    for (const name of images) {
      const failure = await this.remove('image', name);
      if (failure !== undefined) failures.push(failure);
    }
    for (const step of this.undo.splice(0).reverse()) {
      await step().catch((error: unknown) => failures.push(String(error)));
    }
    if (failures.length > 0) {
      throw new Error(`cleanup left things behind:\n${failures.join('\n')}`);
    }
  }

  // An image is always created after the image it is built on, so the newest comes first.
  private async newestFirst(images: readonly string[]): Promise<string[]> {
    const created = await Promise.all(images.map(async (name) => {
      const result = await docker(['image', 'inspect', '--format', '{{.Created}}', name], { engine: this.engine });
      return { name, at: result.exitCode === 0 ? Date.parse(result.stdout.trim().replace(/ [A-Z]+$/, '')) || 0 : 0 };
    }));
    return created.sort((a, b) => b.at - a.at).map(({ name }) => name);
  }

  private add(kind: ObjectKind, name: string): string {
    this.objects[kind].add(name);
    return name;
  }

  private async remove(kind: ObjectKind, name: string): Promise<string | undefined> {
    const podman = this.engine === 'podman';
    const args = {
      // podman would wait 10 s for a PID 1 that ignores SIGTERM; docker's -f kills at once.
      container: podman ? ['rm', '-f', '-v', '--time', '0', name] : ['rm', '-f', '-v', name],
      network: podman ? ['network', 'rm', '-f', name] : ['network', 'rm', name],
      volume: ['volume', 'rm', '-f', name],
      image: ['rmi', '-f', name],
    }[kind];
    const result = await docker(args, { engine: this.engine });
    if (result.exitCode === 0 || NOT_THERE.test(result.stderr)) {
      return undefined;
    }
    return `${kind} ${name}: ${result.stderr.trim()}`;
  }
}

/**
 * Containers, networks, volumes and images whose names start with `prefix`, as
 * `"container NAME"` lines: tests assert this is empty once they have cleaned up.
 */
export async function leftovers(prefix: string, engine: Engine = 'docker'): Promise<string[]> {
  const found = await listWithPrefix(prefix, engine);
  const images = await dockerOk(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { engine });
  const ownImages = lines(images)
    .map((ref) => ref.replace(/^localhost\//, ''))
    .filter((ref) => ref.startsWith(prefix));
  return [...found.map(({ kind, name }) => `${kind} ${name}`), ...ownImages.map((ref) => `image ${ref}`)];
}

async function listWithPrefix(
  prefix: string,
  engine: Engine,
): Promise<Array<{ kind: ObjectKind; name: string }>> {
  const listings = [
    ['container', ['ps', '-a', '--filter', `name=${prefix}`, '--format', '{{.Names}}']],
    ['network', ['network', 'ls', '--filter', `name=${prefix}`, '--format', '{{.Name}}']],
    ['volume', ['volume', 'ls', '--filter', `name=${prefix}`, '--format', '{{.Name}}']],
  ] as const;
  const found: Array<{ kind: ObjectKind; name: string }> = [];
  for (const [kind, args] of listings) {
    for (const name of lines(await dockerOk(args, { engine }))) {
      if (name.startsWith(prefix)) found.push({ kind, name });
    }
  }
  return found;
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

/** One way of running `docker build`: which client binary, and the environment that picks the builder. */
export interface Builder {
  readonly name: 'buildkit' | 'legacy';
  readonly client: string;
  /** Put this over the environment of `docker` or `berth build`: PATH finds `client` first. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The builders this machine offers (both are tested). BuildKit needs a client older than
 * 23 (built in, DOCKER_BUILDKIT=1) or the buildx plugin; a 23+ client without buildx refuses
 * DOCKER_BUILDKIT=1. The legacy builder is DOCKER_BUILDKIT=0 on any client.
 */
export async function dockerBuilders(): Promise<Builder[]> {
  const onPath = await findOnPath('docker');
  const clients = [...new Set([...(onPath === undefined ? [] : [onPath]), '/usr/bin/docker'])];
  const builders: Builder[] = [];
  for (const client of clients) {
    const version = await execa(client, ['version', '--format', '{{.Client.Version}}'], { reject: false });
    if (version.stdout === '') continue; // not installed (the version is printed even without a daemon)
    const major = Number.parseInt(version.stdout.trim(), 10);
    const buildx = (await execa(client, ['buildx', 'version'], { reject: false })).exitCode === 0;
    const path = `${dirname(client)}:${process.env['PATH'] ?? ''}`;
    if (!builders.some((b) => b.name === 'buildkit') && (major < 23 || buildx)) {
      builders.push({ name: 'buildkit', client, env: { PATH: path, DOCKER_BUILDKIT: '1' } });
    }
    if (!builders.some((b) => b.name === 'legacy')) {
      builders.push({ name: 'legacy', client, env: { PATH: path, DOCKER_BUILDKIT: '0' } });
    }
  }
  return builders;
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir === '') continue;
    const path = join(dir, command);
    if (await access(path, constants.X_OK).then(() => true, () => false)) return path;
  }
  return undefined;
}
