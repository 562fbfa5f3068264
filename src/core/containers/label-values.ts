import { clip, isName } from '../needs/grammar.js';
import { parseIp } from '../ip.js';

// The host file's rule for `ndp-proxy`, and the engine's for volume names.
const INTERFACE_PATTERN = /^(?!\.\.?$)[^\s/:]{1,15}$/;
const VOLUME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;
const MAX_PATH_LENGTH = 4096;

/** The canonical form of an address without prefix, if `text` is exactly that (of `family`, when given). */
export function canonicalIp(text: string, family?: 4 | 6): string | undefined {
  const parsed = parseIp(text);
  if (!parsed.ok || parsed.value.prefix !== undefined || (family !== undefined && parsed.value.family !== family)) return undefined;
  return parsed.value.address === text ? text : undefined;
}

/** Why `path` is not an absolute host path berth may act on, if it is not. */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return `"${clip(path)}" is not an absolute path`;
  if (path.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(path)) return `"${clip(path)}" contains control characters`;
  return undefined;
}

export function isInterfaceName(text: string): boolean {
  return INTERFACE_PATTERN.test(text);
}

export function isVolumeName(text: string): boolean {
  return VOLUME_PATTERN.test(text);
}

/** Why a recorded host-entry name is not one, if it is not. */
export function hostNameProblem(host: string | undefined): string | undefined {
  if (host === undefined) return 'value has no "host"';
  return isName(host) ? undefined : `value names host entry "${clip(host)}", which is not a valid name`;
}
