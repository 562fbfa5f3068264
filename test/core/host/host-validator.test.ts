import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { hostSchema } from '../../../src/core/host/host-schema.js';
import { validateHostFile as validate } from '../../../src/core/host/host-validator.generated.js';
import { AJV_OPTIONS, hostValidatorSource, VALIDATOR_FILE } from '../../helpers/host-validator-source.js';

describe('generated host file validator', () => {
  it('is ajv standalone code for the current schema (BERTH_UPDATE_GOLDEN=1 rewrites it)', () => {
    const source = hostValidatorSource();
    if (process.env['BERTH_UPDATE_GOLDEN'] === '1') writeFileSync(VALIDATOR_FILE, source);
    assert.equal(readFileSync(VALIDATOR_FILE, 'utf8'), source);
  });

  it('gives the same errors as ajv compiling the schema at run time', () => {
    const compiled = new Ajv(AJV_OPTIONS).compile(hostSchema);
    const cases: unknown[] = [
      {},
      { networks: { n: { subnet6: '2001:db8::/64' } } },
      { networks: { n: { subnet6: 1, bogus: true } }, volumes: { v: {} }, extra: [] },
      { addresses: { 'bad name!': { network: 'n' } }, 'provider-timeout': -1 },
      { volumes: { v: { source: '/a', volume: 'b', provider: [] } } },
    ];
    for (const value of cases) {
      compiled(value);
      validate(value);
      const strip = (errors: unknown) => JSON.parse(JSON.stringify(errors ?? null)) as unknown;
      assert.deepEqual(strip(validate.errors), strip(compiled.errors), JSON.stringify(value));
    }
  });
});
