import type { ErrorObject } from 'ajv';
import { error, type Problem } from '../problem.js';
import { label, type Locate, type Path } from './data-path.js';
import { isRecord, type Data } from './host-data.js';
import { NAME_HELP } from './schema-parts.js';
import { validateHostFile } from './host-validator.generated.js';

const KIND_OF_SECTION: Readonly<Record<string, string>> = {
  networks: 'network',
  addresses: 'address',
  volumes: 'volume',
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

// ajv's errors speak of JSON pointers and keywords; a host file's author needs the key, the line and what to write.
export function schemaProblems(value: Data, locate: Locate): Problem[] {
  const problems: Problem[] = [];
  for (const e of validate(value)) {
    if (e.schemaPath.includes('/anyOf/') || e.schemaPath.includes('/oneOf/') || e.keyword === 'propertyNames') {
      continue;
    }
    const problem = schemaProblem(e, pathOf(e), locate);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

// ajv's standalone code for hostSchema, generated ahead of time so that no run compiles the schema.
function validate(value: Data): readonly ErrorObject[] {
  return validateHostFile(value) ? [] : (validateHostFile.errors ?? []);
}

function pathOf(error: ErrorObject): Path {
  if (error.instancePath === '') return [];
  return error.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function schemaProblem(e: ErrorObject, path: Path, locate: Locate): Problem | undefined {
  const params = e.params as Record<string, unknown>;
  const where = label(path);
  const last = path.at(-1);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = Object.keys((e.parentSchema?.['properties'] ?? {}) as object).join(', ');
      const inside = path.length === 0 ? '' : ` in ${where}`;
      return error(locate([...path, key], 'key'), 'host.unknown-key', `unknown key "${key}"${inside} (expected one of: ${known})`);
    }
    case 'pattern':
      if (e.propertyName !== undefined) return nameProblem(path, e.propertyName, locate);
      if (last === 'source' || last === 0) {
        return error(locate(path, 'value'), 'host.relative-path', `${where} must be an absolute path, not "${String(e.data)}"`);
      }
      if (last === 'volume') {
        return error(
          locate(path, 'value'),
          'host.invalid-value',
          `${where}: "${String(e.data)}" is not a Docker volume name (letters, digits, "_", "." and "-", starting with a letter or digit, at least 2 characters)`,
        );
      }
      if (last === 'ndp-proxy') {
        return error(
          locate(path, 'value'),
          'host.invalid-value',
          `${where}: "${String(e.data)}" is not a network interface name (1 to 15 characters, no "/", ":" or spaces)`,
        );
      }
      break;
    case 'type': {
      const expected = TYPE_NAMES[String(params['type'])] ?? String(params['type']);
      const scalar = typeof e.data === 'number' || typeof e.data === 'boolean';
      const hint = params['type'] === 'string' && scalar ? ` (quote it: "${String(e.data)}")` : '';
      return error(locate(path, 'value'), 'host.wrong-type', `${where || 'the host file'} must be ${expected}${hint}`);
    }
    case 'required':
      return error(locate(path, 'key'), 'host.missing-key', `${where} needs the key "${String(params['missingProperty'])}"`);
    case 'minItems':
      return error(
        locate(path, 'value'),
        'host.empty-argv',
        `${where} is empty: give the provider's absolute path, then its arguments`,
      );
    case 'minLength':
      return error(locate(path, 'value'), 'host.invalid-value', `${where} must not be empty`);
    case 'exclusiveMinimum':
    case 'maximum':
      return error(
        locate(path, 'value'),
        'host.invalid-value',
        `${where} must be a number of seconds greater than 0 and at most 86400, not ${String(e.data)}`,
      );
    case 'anyOf':
      return alternativesProblem(path, e.data, locate);
    case 'oneOf':
      return alternativesProblem(path, e.data, locate);
  }
  return error(locate(path, 'value'), 'host.invalid-value', `${where || 'the host file'} ${e.message ?? 'is invalid'}`);
}

function nameProblem(path: Path, name: string, locate: Locate): Problem {
  const at = locate([...path, name], 'key');
  const kind = path.length === 1 ? KIND_OF_SECTION[String(path[0])] : undefined;
  if (kind !== undefined) {
    return error(
      at,
      'host.invalid-name',
      `"${name}" is not a valid ${kind} name (${NAME_HELP})`,
    );
  }
  return error(at, 'host.invalid-name', `"${name}" is not a valid key in ${label(path)} (it must not contain "=")`);
}

function alternativesProblem(path: Path, data: unknown, locate: Locate): Problem {
  const at = locate(path, 'key');
  const [section, name] = path;
  const entry = isRecord(data) ? data : {};
  if (section === 'networks') {
    return error(at, 'host.network-without-subnet', `network "${String(name)}" needs subnet6, subnet4 or both`);
  }
  if (section === 'addresses') {
    return error(at, 'host.address-without-ip', `address "${String(name)}" needs ipv6, ipv4 or both`);
  }
  if ('source' in entry && 'volume' in entry) {
    return error(
      at,
      'host.volume-source-and-volume',
      `volume "${String(name)}" has both source and volume: give a host directory (source) or a Docker volume (volume), not both`,
    );
  }
  return error(
    at,
    'host.volume-without-source',
    `volume "${String(name)}" needs source (a host directory) or volume (a Docker volume name)`,
  );
}
