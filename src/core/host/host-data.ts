import type { Argv } from './host-config.js';

/** The host file's data as parsed, before it is checked. */
export type Data = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a section that are mappings; the schema reports the others. */
export function entries(value: unknown): [string, Data][] {
  if (!isRecord(value)) return [];
  return Object.entries(value).filter((entry): entry is [string, Data] => isRecord(entry[1]));
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A provider command, if it is a list of strings whose first is an absolute path. */
export function argv(value: unknown): Argv | undefined {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) return undefined;
  const [program, ...rest] = value;
  return program?.startsWith('/') ? [program, ...rest] : undefined;
}
