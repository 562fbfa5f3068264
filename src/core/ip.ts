import { Address4, Address6 } from 'ip-address';
import { printable } from './printable.js';

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
