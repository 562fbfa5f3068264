// Engines print JSON whose shape differs between engines and versions; these read it defensively,
// so a missing or odd field becomes an empty value instead of an exception.

export type Json = Record<string, unknown>;

/** The value of JSON text, or undefined when it is not JSON. */
export function parseJsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first object of a JSON array, as `inspect` commands print it. */
export function firstObject(text: string): Json | undefined {
  const parsed = parseJsonValue(text);
  return Array.isArray(parsed) ? asRecord(parsed[0]) : undefined;
}

export function asRecord(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The string-valued entries of an object (labels, options). */
export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(asRecord(value) ?? {})) if (typeof item === 'string') out[key] = item;
  return out;
}

/** The strings of an array. */
export function strings(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === 'string');
}

/** The non-empty lines an engine CLI printed (ids or names, one a line), trimmed. */
export function printedLines(stdout: string): string[] {
  return stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}
