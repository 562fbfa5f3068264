import { posix } from 'node:path';

/** Where a user's `-v`, `--mount` or `--tmpfs` puts something in the container. */
export interface MountPlace {
  /** Normalised container path; undefined when the value has a form docker refuses. */
  readonly target?: string;
  /** Host path or volume name, when the value names one. */
  readonly source?: string;
}

/** Reads `-v SRC:DST[:OPTS]` or an anonymous `-v /DST`, split as docker's Linux parser splits it. */
export function volumePlace(value: string): MountPlace {
  const parts = value.split(':');
  if (parts.length === 1) return place(parts[0]);
  if (parts.length === 2 || parts.length === 3) return place(parts[1], parts[0]);
  return {};
}

/** Reads `--mount type=bind,source=/a,target=/b,...` (CSV, `"`-quoted fields allowed). */
export function mountPlace(value: string): MountPlace {
  let target: string | undefined;
  let source: string | undefined;
  for (const field of csvFields(value)) {
    const equals = field.indexOf('=');
    const key = (equals < 0 ? field : field.slice(0, equals)).trim().toLowerCase();
    const text = equals < 0 ? '' : field.slice(equals + 1);
    if (key === 'target' || key === 'dst' || key === 'destination') target = text;
    if (key === 'source' || key === 'src') source = text;
  }
  return place(target, source);
}

/** Reads `--tmpfs /DST[:OPTS]`. */
export function tmpfsPlace(value: string): MountPlace {
  const colon = value.indexOf(':');
  return place(colon < 0 ? value : value.slice(0, colon));
}

/** A container path in one spelling (`/var/www/` and `/var//www` are `/var/www`), so targets compare. */
export function normalizeTarget(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

function place(target: string | undefined, source?: string): MountPlace {
  return {
    ...(target === undefined || target === '' ? {} : { target: normalizeTarget(target) }),
    ...(source === undefined || source === '' ? {} : { source }),
  };
}

function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line.charAt(index);
    if (quoted) {
      if (char !== '"') field += char;
      else if (line.charAt(index + 1) === '"') {
        field += '"';
        index += 1;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}
