import { access, readFile } from 'node:fs/promises';
import { BerthError } from '../core/errors.js';
import { parseIp, parseIpAddress } from '../core/ip.js';
import { traceCommand } from './trace.js';

const IFACE_NAME = /^[A-Za-z0-9_.:-]{1,15}$/;

/** Whether a host interface exists, before berth relies on it for NDP proxying. */
export async function interfaceExists(iface: string): Promise<boolean> {
  if (!isInterfaceName(iface)) return false;
  // The kernel lists every interface of berth's network namespace here, whatever ip would say.
  return access(`/sys/class/net/${iface}`).then(
    () => true,
    (cause: NodeJS.ErrnoException) => {
      if (cause.code === 'ENOENT') return false;
      throw new BerthError(`cannot look up interface ${iface}: ${cause.message}`, { code: 'ndp.failed', cause });
    },
  );
}

/** Whether the kernel answers neighbour solicitations for proxy entries on `iface` (its own or the `all` switch); undefined when it has no IPv6 settings. */
export async function proxyNdpEnabled(iface: string): Promise<boolean | undefined> {
  if (!isInterfaceName(iface)) return undefined;
  const own = await readSwitch(`/proc/sys/net/ipv6/conf/${iface}/proxy_ndp`);
  if (own === undefined) return undefined;
  return own || (await readSwitch('/proc/sys/net/ipv6/conf/all/proxy_ndp')) === true;
}

/** Whether the host forwards IPv6 at all, without which proxied addresses are unreachable. */
export async function ipv6ForwardingEnabled(): Promise<boolean> {
  return (await readSwitch('/proc/sys/net/ipv6/conf/all/forwarding')) === true;
}

/** Makes the host answer neighbour discovery for a container's address on `iface`; safe to repeat. */
export async function addNdpProxy(address: string, iface: string): Promise<void> {
  const args = proxyArgs('replace', address, iface);
  const result = await ip(args);
  if (result.exitCode !== 0) throw failed(`cannot add an NDP proxy entry for ${address} on ${iface} (ip ${args.join(' ')})`, result.stderr);
}

/** Stops answering neighbour discovery for an address; an entry already gone is fine. */
export async function removeNdpProxy(address: string, iface: string): Promise<void> {
  const args = proxyArgs('del', address, iface);
  const result = await ip(args);
  if (result.exitCode !== 0 && (await listNdpProxies(iface)).includes(canonicalIpv6(address))) {
    throw failed(`cannot remove the NDP proxy entry for ${address} on ${iface} (ip ${args.join(' ')})`, result.stderr);
  }
}

/** The addresses the host answers neighbour discovery for on `iface`, canonical. */
export async function listNdpProxies(iface: string): Promise<string[]> {
  checkInterfaceName(iface);
  const result = await ip(['-6', 'neigh', 'show', 'proxy', 'dev', iface]);
  if (result.exitCode !== 0) throw failed(`cannot list the NDP proxy entries on ${iface}`, result.stderr);
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .flatMap((token) => {
      const ip = parseIpAddress(token);
      return ip?.family === 6 ? [ip.address] : [];
    });
}

/**
 * The host interface on whose link `address` is reached directly (no gateway), where berth may
 * tell the host's neighbour table about it: undefined when not root, or when it is routed.
 */
export async function neighbourLink(address: string): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const route = await ip(['-6', 'route', 'get', canonicalIpv6(address)]);
  const iface = /(?:^|\s)dev (\S+)/.exec(route.stdout)?.[1];
  if (route.exitCode !== 0 || iface === undefined || /(?:^|\s)via\s/.test(route.stdout) || !isInterfaceName(iface)) return undefined;
  return iface;
}

/**
 * Tells the host's neighbour table that `address` is now at `mac` on `iface`, as the container's
 * own unsolicited neighbour advertisement would (RFC 4861 7.2.5: the entry becomes STALE with the
 * new link-layer address, packets queued for it go out, and the kernel confirms it as usual).
 * False when it was not done.
 */
export async function announceNeighbour(address: string, mac: string, iface: string): Promise<boolean> {
  if (!MAC.test(mac)) return false;
  const result = await ip(['-6', 'neigh', 'replace', canonicalIpv6(address), 'lladdr', mac, 'dev', iface, 'nud', 'stale']);
  return result.exitCode === 0;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

function proxyArgs(verb: 'replace' | 'del', address: string, iface: string): string[] {
  checkInterfaceName(iface);
  return ['-6', 'neigh', verb, 'proxy', canonicalIpv6(address), 'dev', iface];
}

function isInterfaceName(iface: string): boolean {
  return IFACE_NAME.test(iface) && !iface.startsWith('-') && iface !== '.' && iface !== '..';
}

function checkInterfaceName(iface: string): void {
  if (!isInterfaceName(iface)) {
    throw new BerthError(`"${iface}" is not an interface name (up to 15 letters, digits, "_", ".", ":" or "-", not starting with "-")`, {
      code: 'ndp.bad-interface',
    });
  }
}

function canonicalIpv6(address: string): string {
  const parsed = parseIp(address);
  if (parsed.ok && parsed.value.family === 6 && parsed.value.prefix === undefined) return parsed.value.address;
  throw new BerthError(`"${address}" is not an IPv6 address an NDP proxy entry can be made for`, {
    code: 'ndp.bad-address',
  });
}

async function readSwitch(path: string): Promise<boolean | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() !== '0';
  } catch {
    return undefined;
  }
}

interface IpResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function ip(args: readonly string[]): Promise<IpResult> {
  traceCommand(['ip', ...args]);
  // Loaded here, not at start-up: most runs never call ip, and execa takes ~70 ms to load.
  const { execa } = await import('execa');
  const result = await execa('ip', args, { reject: false, stdin: 'ignore', timeout: 30_000 });
  if (result.exitCode === undefined) {
    throw new BerthError(`cannot run ip (${result.shortMessage}); install iproute2`, {
      code: 'ndp.failed',
    });
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

function failed(what: string, stderr: string): BerthError {
  const said = stderr.trim().split('\n').map((line) => line.trim()).filter(Boolean).join('; ');
  return new BerthError(`${what}: ${said || 'ip failed'}`, { code: 'ndp.failed' });
}
