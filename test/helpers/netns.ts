// Network namespaces and veth pairs for network tests (e.g. an upstream router for the NDP-proxy
// case, test/integration/ndp.test.ts), named uniquely per run and always removed, plus documentation-prefix
// subnets so tests never touch real addresses.
import { randomBytes, randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { CliResult } from './engine.js';
import { skipFor } from './skip.js';

/** The "host on a public /64" scene: a router namespace with the /64 on-link towards the host. */
export interface UpstreamRouter {
  readonly router: string;
  readonly uplink: VethPair;
  /** The /64 on the link, as `2001:db8:x:y` (no `::`). */
  readonly link: string;
}

export interface VethPair {
  /** The end in the host's (the test process's) namespace. */
  readonly host: string;
  /** The end inside `ns`. */
  readonly peer: string;
  readonly ns: string;
}

export interface RouteVia {
  readonly via?: string;
  readonly dev?: string;
}

/** `ip ARGS`; never throws. */
export async function ip(args: readonly string[], options: { readonly timeoutMs?: number } = {}): Promise<CliResult> {
  const result = await execa('ip', args, { reject: false, stdin: 'ignore', timeout: options.timeoutMs ?? 30_000 });
  if (result.timedOut || result.exitCode === undefined) {
    const stderr = [result.stderr, result.shortMessage].filter((text) => text !== '').join('\n');
    return { stdout: result.stdout, stderr, exitCode: -1 };
  }
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
}

async function ipOk(args: readonly string[]): Promise<string> {
  const result = await ip(args);
  if (result.exitCode !== 0) {
    throw new Error(`ip ${args.join(' ')} exited ${result.exitCode}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/**
 * A node:test `skip` value for tests that need namespaces: false when this process can create
 * them (root, iproute2), else the reason, printed. Under CI (`CI=true`) a missing capability throws.
 */
export async function netnsSkip(): Promise<false | string> {
  if (process.getuid?.() !== 0) return skipFor('network namespace tests need root');
  if ((await ip(['netns', 'list'])).exitCode !== 0) return skipFor("'ip netns' does not work here (install iproute2)");
  return false;
}

/**
 * The namespaces, veth pairs and host sysctls of one test file. `cleanup()` removes and
 * restores everything (run it in `after()`); `leftovers()` lists what is still there.
 */
export class NetLab {
  /** Start of every namespace name: `berthtest-<pid>-<hex>`. */
  readonly prefix: string;
  /** Start of every interface name, short enough for the kernel's 15 characters: `bt<hex>`. */
  readonly tag: string;
  private count = 0;
  private readonly namespaces: string[] = [];
  private readonly links: string[] = [];
  private readonly sysctls: Array<{ key: string; value: string }> = [];

  constructor() {
    const hex = randomBytes(3).toString('hex');
    this.prefix = `berthtest-${process.pid}-${hex}`;
    this.tag = `bt${hex}`;
  }

  /** Creates a namespace with loopback up; returns its name. */
  async namespace(): Promise<string> {
    const name = `${this.prefix}-ns${this.count++}`;
    await ipOk(['netns', 'add', name]);
    this.namespaces.push(name);
    await ipOk(['-n', name, 'link', 'set', 'lo', 'up']);
    return name;
  }

  /** Creates a veth pair, moves one end into `ns`, and brings both ends up. */
  async veth(ns: string): Promise<VethPair> {
    const n = this.count++;
    const pair = { host: `${this.tag}h${n}`, peer: `${this.tag}p${n}`, ns };
    await ipOk(['link', 'add', pair.host, 'type', 'veth', 'peer', 'name', pair.peer]);
    this.links.push(pair.host);
    await ipOk(['link', 'set', pair.peer, 'netns', ns]);
    await ipOk(['link', 'set', pair.host, 'up']);
    await ipOk(['-n', ns, 'link', 'set', pair.peer, 'up']);
    return pair;
  }

  /** Adds `cidr` to `dev` (in `ns`, else in the host namespace); IPv6 without duplicate detection. */
  async address(dev: string, cidr: string, ns?: string): Promise<void> {
    const nodad = cidr.includes(':') ? ['nodad'] : [];
    await ipOk([...inNs(ns), 'address', 'add', cidr, 'dev', dev, ...nodad]);
  }

  /** Adds or replaces a route to `dest` (a prefix or `default`) in `ns`, else in the host namespace. */
  async route(dest: string, how: RouteVia, ns?: string): Promise<void> {
    const family = [dest, how.via ?? ''].some((text) => text.includes(':')) ? ['-6'] : ['-4'];
    const via = how.via === undefined ? [] : ['via', how.via];
    const dev = how.dev === undefined ? [] : ['dev', how.dev];
    await ipOk([...family, ...inNs(ns), 'route', 'replace', dest, ...via, ...dev]);
  }

  /**
   * Sets a sysctl (`net.ipv6.conf.IF.proxy_ndp`) in `ns`, or in the host namespace, where
   * `cleanup()` puts the old value back. Keys of this lab's own interfaces vanish with them.
   */
  async sysctl(key: string, value: string, ns?: string): Promise<void> {
    const path = `/proc/sys/${key.replaceAll('.', '/')}`;
    if (ns === undefined && !this.links.some((link) => key.includes(`.${link}.`))) {
      this.sysctls.push({ key, value: (await readFile(path, 'utf8')).trim() });
    }
    await this.write(path, value, ns);
  }

  /** Runs `argv` inside `ns` (`ip netns exec`); never throws. */
  async exec(ns: string, argv: readonly string[], options: { readonly timeoutMs?: number } = {}): Promise<CliResult> {
    return ip(['netns', 'exec', ns, ...argv], options);
  }

  /**
   * An upstream router in its own namespace with a /64 on-link towards the host, which forwards
   * IPv6 on the link: the host's networks inside the /64 reach the router only through NDP proxy
   * entries (turning proxy_ndp on for the uplink is the caller's choice).
   */
  async upstreamRouter(): Promise<UpstreamRouter> {
    const subnet = docSubnet6(64);
    const link = subnet.slice(0, subnet.indexOf('::/'));
    const router = await this.namespace();
    const uplink = await this.veth(router);
    await this.address(uplink.peer, `${link}::1/64`, router);
    await this.route(subnet, { dev: uplink.peer }, router);
    await this.address(uplink.host, `${link}::2/64`);
    await this.sysctl('net.ipv6.conf.all.forwarding', '1');
    await this.sysctl(`net.ipv6.conf.${uplink.host}.forwarding`, '1');
    return { router, uplink, link };
  }

  /** busybox wget of `http://[address]/` from `ns`, bounded by `timeout` (busybox's own -T crashes). */
  fetchPage(ns: string, address: string, seconds: number): Promise<CliResult> {
    return this.exec(ns, ['timeout', String(seconds), 'busybox', 'wget', '-q', '-O', '-', `http://[${address}]/`], { timeoutMs: (seconds + 5) * 1000 });
  }

  /** `fetchPage` for 5 s, tried again every 0.5 s up to `retries` times: a new container's first IPv6 answer can take seconds. */
  async fetchPageWithRetries(ns: string, address: string, retries: number): Promise<CliResult> {
    let fetched = await this.fetchPage(ns, address, 5);
    for (let attempt = 0; fetched.exitCode !== 0 && attempt < retries; attempt++) {
      await sleep(500);
      fetched = await this.fetchPage(ns, address, 5);
    }
    return fetched;
  }

  /** Removes every interface and namespace of this lab and restores host sysctls; safe to repeat. */
  async cleanup(): Promise<void> {
    const failures: string[] = [];
    for (const { key, value } of this.sysctls.splice(0).reverse()) {
      await this.write(`/proc/sys/${key.replaceAll('.', '/')}`, value).catch((error: unknown) =>
        failures.push(`sysctl ${key}: ${String(error)}`));
    }
    for (const link of this.links.splice(0)) {
      const result = await ip(['link', 'del', link]);
      if (result.exitCode !== 0 && !/cannot find device/i.test(result.stderr)) {
        failures.push(`link ${link}: ${result.stderr.trim()}`);
      }
    }
    for (const ns of this.namespaces.splice(0)) {
      const result = await ip(['netns', 'del', ns]);
      if (result.exitCode !== 0 && !/no such file/i.test(result.stderr)) {
        failures.push(`netns ${ns}: ${result.stderr.trim()}`);
      }
    }
    if (failures.length > 0) {
      throw new Error(`network cleanup left things behind:\n${failures.join('\n')}`);
    }
  }

  /** Namespaces and host interfaces of this lab that still exist, as `"netns NAME"` / `"link NAME"`. */
  async leftovers(): Promise<string[]> {
    const namespaces = (await ipOk(['netns', 'list']))
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((name) => name.startsWith(this.prefix));
    const links = (await ipOk(['-o', 'link', 'show']))
      .split('\n')
      .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1] ?? '')
      .filter((name) => name.startsWith(this.tag));
    return [...namespaces.map((name) => `netns ${name}`), ...links.map((name) => `link ${name}`)];
  }

  private async write(path: string, value: string, ns?: string): Promise<void> {
    if (ns === undefined) {
      await writeFile(path, `${value}\n`);
      return;
    }
    // /proc/sys/net shows the namespace of the process that opens it, so write from inside.
    const result = await this.exec(ns, ['sh', '-c', 'printf "%s\\n" "$1" > "$2"', 'sh', value, path]);
    if (result.exitCode !== 0) {
      throw new Error(`cannot set ${path} to ${value} in ${ns}: ${result.stderr.trim()}`);
    }
  }
}

function inNs(ns: string | undefined): string[] {
  return ns === undefined ? [] : ['-n', ns];
}

/**
 * A random /`length` inside 2001:db8::/32 (documentation prefix), e.g. `2001:db8:3f2a:91c4::/112`;
 * random so that concurrent runs do not ask the engine for overlapping subnets.
 */
export function docSubnet6(length = 112): string {
  if (length < 64 || length > 126) throw new RangeError(`docSubnet6 length must be 64..126, not ${length}`);
  const group = () => randomInt(1, 0x10000).toString(16);
  return `2001:db8:${group()}:${group()}::/${length}`;
}

/** Address number `n` of an IPv6 subnet from `docSubnet6`: `docAddress6('2001:db8:a:b::/112', 2)` = `2001:db8:a:b::2`. */
export function docAddress6(subnet: string, n: number): string {
  return `${subnet.slice(0, subnet.indexOf('::/'))}::${n.toString(16)}`;
}

/** A random /28 inside 192.0.2.0/24 or 198.51.100.0/24 (documentation prefixes). */
export function docSubnet4(): string {
  const base = randomInt(2) === 0 ? '192.0.2' : '198.51.100';
  return `${base}.${randomInt(16) * 16}/28`;
}
