import { Address4, Address6 } from 'ip-address';
import { printable } from './printable.js';

// The one place berth reads, compares and writes IP addresses and subnets, on ip-address:
// literals in statements and labels, the host file's addresses and subnets, the engines' CIDRs.

export type IpFamily = 4 | 6;

/** An IP address in canonical text: RFC 5952 for IPv6 (`2001:db8::20`), dotted quad for IPv4. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly address: string;
}

/** A subnet without host bits; `address` is its canonical network address. */
export interface Subnet {
  readonly family: IpFamily;
  readonly address: string;
  readonly prefix: number;
}

/** A literal IP address as written in a statement, a label or the host file, made canonical. */
export interface IpLiteral {
  readonly family: 4 | 6;
  /** Canonical text: RFC 5952 for IPv6 (`2001:db8::20`), dotted quad for IPv4. */
  readonly address: string;
  /** The `/prefix` when one was written. */
  readonly prefix?: number;
}

export type IpParse = { readonly ok: true; readonly value: IpLiteral } | { readonly ok: false; readonly reason: string };

const IPV4_SHAPE = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6_SHAPE = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(\/\d{1,3})?$/;

/** True when `text` has the shape of an IP address, so that it must be read as one and never as a name. */
export function looksLikeIp(text: string): boolean {
  const withoutZone = text.replace(/%.*$/s, '');
  return IPV4_SHAPE.test(withoutZone) || IPV6_SHAPE.test(withoutZone);
}

/** Parses one address with an optional prefix; refuses zones and addresses no container can hold. */
export function parseIp(text: string): IpParse {
  if (text.includes('%')) return fail(`"${printable(text)}" has a zone index; give the address alone`);
  if (IPV4_SHAPE.test(text)) return parseV4(text);
  if (IPV6_SHAPE.test(text)) return parseV6(text);
  return fail(`"${text}" is not an IPv4 or IPv6 address`);
}

function parseV4(text: string): IpParse {
  const [addressText = '', prefixText] = text.split('/');
  if (!Address4.isValid(addressText)) return fail(`"${text}" is not a valid IPv4 address`);
  const address = new Address4(addressText);
  const prefix = prefixText === undefined ? undefined : Number(prefixText);
  if (prefix !== undefined && prefix > 32) return fail(`"${text}" has a prefix longer than 32`);
  const first = Number(addressText.split('.')[0]);
  if (address.correctForm() === '0.0.0.0' || first === 127 || first >= 224) {
    return fail(`${address.correctForm()} cannot be a container's address (unspecified, loopback, multicast or reserved)`);
  }
  return ok({ family: 4, address: address.correctForm(), ...(prefix === undefined ? {} : { prefix }) });
}

function parseV6(text: string): IpParse {
  const [addressText = '', prefixText] = text.split('/');
  if (addressText.includes('.')) return fail(`"${text}" embeds an IPv4 address; write it in plain IPv6 or IPv4 form`);
  if (!Address6.isValid(addressText)) return fail(`"${text}" is not a valid IPv6 address`);
  const address = new Address6(addressText);
  const prefix = prefixText === undefined ? undefined : Number(prefixText);
  if (prefix !== undefined && prefix > 128) return fail(`"${text}" has a prefix longer than 128`);
  const canonical = address.correctForm();
  if (canonical === '::' || canonical === '::1' || address.isMulticast()) {
    return fail(`${canonical} cannot be a container's address (unspecified, loopback or multicast)`);
  }
  return ok({ family: 6, address: canonical, ...(prefix === undefined ? {} : { prefix }) });
}

/** Text form of a literal, with its prefix when it has one. */
export function formatIp(literal: IpLiteral): string {
  return literal.prefix === undefined ? literal.address : `${literal.address}/${literal.prefix}`;
}

function ok(value: IpLiteral): IpParse {
  return { ok: true, value };
}

function fail(reason: string): IpParse {
  return { ok: false, reason };
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function bigIntOf(family: IpFamily, address: string): bigint {
  return family === 6 ? new Address6(address).bigInt() : new Address4(address).bigInt();
}

function hostBits(family: IpFamily, prefix: number): bigint {
  return BigInt(BITS[family] - prefix);
}

/** One canonical form for every address (no `/prefix`, no `%zone`), so that comparing addresses is comparing strings. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes('/') || text.includes('%')) return undefined;
  if (Address4.isValid(text)) return { family: 4, address: new Address4(text).correctForm() };
  if (Address6.isValid(text)) return { family: 6, address: new Address6(text).correctForm() };
  return undefined;
}

/** Why `ADDRESS/PREFIX` text is not a subnet, for the host file's messages. */
export type SubnetReading =
  | { readonly ok: true; readonly subnet: Subnet }
  | { readonly ok: false; readonly problem: 'no-prefix' | 'not-an-address' | 'bad-prefix' }
  | { readonly ok: false; readonly problem: 'host-bits'; readonly subnet: Subnet };

/** Reads `ADDRESS/PREFIX`; host bits are a problem (usually a typo), reported with the subnet meant. */
export function readSubnetText(text: string): SubnetReading {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, problem: 'no-prefix' };
  const ip = parseIpAddress(text.slice(0, slash));
  if (ip === undefined) return { ok: false, problem: 'not-an-address' };
  const prefixText = text.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || prefix > BITS[ip.family]) return { ok: false, problem: 'bad-prefix' };
  const subnet: Subnet = { family: ip.family, address: ip.address, prefix };
  const network = networkAddress(subnet);
  return network === ip.address ? { ok: true, subnet } : { ok: false, problem: 'host-bits', subnet: { ...subnet, address: network } };
}

/** Parses `ADDRESS/PREFIX`, refusing host bits rather than silently dropping them. */
export function parseSubnet(text: string): Subnet | undefined {
  const read = readSubnetText(text);
  return read.ok ? read.subnet : undefined;
}

/** A subnet as an engine reports it (CIDR text), read as it stands: engines may keep host bits. */
export function readCidr(cidr: string): Subnet | undefined {
  const read = readSubnetText(cidr);
  if (read.ok) return read.subnet;
  if (read.problem !== 'host-bits') return undefined;
  const ip = parseIpAddress(cidr.slice(0, cidr.indexOf('/')));
  return ip === undefined ? undefined : { ...read.subnet, address: ip.address };
}

/** Whether an IPv6 address is global unicast (`2000::/3`): reachable from the internet when routed. */
export function isGlobalUnicast(address: string): boolean {
  return subnetContains({ family: 6, address: '2000::', prefix: 3 }, address);
}

/** The address with the host bits cleared: what a subnet written with host bits should have said. */
export function networkAddress(subnet: Subnet): string {
  const shift = hostBits(subnet.family, subnet.prefix);
  const value = (bigIntOf(subnet.family, subnet.address) >> shift) << shift;
  return subnet.family === 6
    ? Address6.fromBigInt(value).correctForm()
    : Address4.fromBigInt(value).correctForm();
}

/** `2001:db8::/112`, the form messages and `docker network create --subnet` want. */
export function formatSubnet(subnet: Subnet): string {
  return `${subnet.address}/${subnet.prefix}`;
}

/** Validation and resolution both ask whether an address (IpAddress or text) lies in a subnet; one answer for both. */
export function subnetContains(subnet: Subnet, address: IpAddress | string): boolean {
  const ip = typeof address === 'string' ? parseIpAddress(address) : address;
  if (ip === undefined || ip.family !== subnet.family) return false;
  const shift = hostBits(subnet.family, subnet.prefix);
  return (
    bigIntOf(ip.family, ip.address) >> shift === bigIntOf(subnet.family, subnet.address) >> shift
  );
}

/** Two networks may not share addresses: true when the subnets have at least one address in common. */
export function subnetsOverlap(a: Subnet, b: Subnet): boolean {
  if (a.family !== b.family) return false;
  const wider = a.prefix <= b.prefix ? a : b;
  const narrower = wider === a ? b : a;
  return subnetContains(wider, { family: narrower.family, address: narrower.address });
}
