import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { hostSchema } from '../../../src/core/host/host-schema.js';

const SCHEMA_FILE = 'schema/host.schema.json';

function newAjv(): Ajv {
  return new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTuples: false, validateFormats: false });
}

/** Every subschema, with the JSON pointer where it stands. */
function* subschemas(schema: unknown, pointer = '#'): Generator<[string, Record<string, unknown>]> {
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) {
    for (const [i, item] of schema.entries()) yield* subschemas(item, `${pointer}/${i}`);
    return;
  }
  const object = schema as Record<string, unknown>;
  yield [pointer, object];
  for (const [key, value] of Object.entries(object)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, property] of Object.entries(value)) yield* subschemas(property, `${pointer}/properties/${name}`);
    } else if (['items', 'additionalItems', 'additionalProperties', 'propertyNames', 'anyOf', 'oneOf'].includes(key)) {
      yield* subschemas(value, `${pointer}/${key}`);
    }
  }
}

describe('host file JSON Schema', () => {
  it('is what schema/host.schema.json holds (BERTH_UPDATE_GOLDEN=1 rewrites the file)', () => {
    const text = `${JSON.stringify(hostSchema, null, 2)}\n`;
    if (process.env['BERTH_UPDATE_GOLDEN'] === '1') writeFileSync(SCHEMA_FILE, text);
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), text);
  });

  it('is valid draft-07 JSON Schema and compiles in strict mode', () => {
    const ajv = newAjv();
    assert.equal(ajv.validateSchema(hostSchema), true, JSON.stringify(ajv.errors));
    assert.doesNotThrow(() => ajv.compile(hostSchema));
  });

  it('accepts the valid fixture', () => {
    const validate = newAjv().compile(hostSchema);
    const data: unknown = parse(readFileSync('fixtures/host/valid/host.yaml', 'utf8'));
    assert.equal(validate(data), true, JSON.stringify(validate.errors));
  });

  it('accepts an empty configuration', () => {
    assert.equal(newAjv().compile(hostSchema)({}), true);
  });

  it('rejects unknown keys, bad names and ill-formed entries', () => {
    const validate = newAjv().compile(hostSchema);
    for (const data of [
      { network: {} },
      { networks: { 'a b': { subnet6: '2001:db8::/64' } } },
      { networks: { n: { gateway6: '2001:db8::1' } } },
      { addresses: { a: { network: 'n' } } },
      { volumes: { v: { source: '/a', volume: 'bb' } } },
      { volumes: { v: {} } },
      { volumes: { v: { source: 'relative' } } },
      { providers: { volume: [] } },
      { providers: { image: ['/p'] } },
      { 'provider-timeout': 0 },
    ]) {
      assert.equal(validate(data), false, JSON.stringify(data));
    }
  });

  it('describes every key, for editors', () => {
    for (const [pointer, schema] of subschemas(hostSchema)) {
      const key = /\/properties\/[^/]+$/.test(pointer);
      const entry = /^#\/properties\/(networks|addresses|volumes)\/(additionalProperties|propertyNames)$/.test(pointer);
      if (!key && !entry) continue;
      assert.equal(typeof schema['description'], 'string', `${pointer} has no description`);
    }
  });

  it('closes every object with named keys', () => {
    for (const [pointer, schema] of subschemas(hostSchema)) {
      if (schema['properties'] !== undefined) assert.equal(schema['additionalProperties'], false, pointer);
    }
  });
});
