import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { hostSchema } from '../../src/core/host/host-schema.js';

/** The options berth validates host files with; the generated validator is compiled with them. */
export const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  strictTuples: false,
  validateFormats: false,
} as const;

export const VALIDATOR_FILE = 'src/core/host/host-validator.generated.ts';

/**
 * The source of `host-validator.generated.ts`: ajv's standalone code for the host schema, so that
 * `berth run` validates host files without loading and compiling ajv on every start.
 */
export function hostValidatorSource(): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standaloneCode.default(ajv, ajv.compile(hostSchema));
  const helper = 'require("ajv/dist/runtime/ucs2length").default';
  const body = code.replace('"use strict";', '').replaceAll(helper, 'ucs2length');
  if (body.includes('require(')) throw new Error('the generated validator needs an ajv runtime helper it does not import yet');
  return [
    '// @ts-nocheck',
    '// Generated from host-schema.ts by ajv standalone; do not edit.',
    '// BERTH_UPDATE_GOLDEN=1 node --import tsx --test test/core/host/host-validator.test.ts rewrites it.',
    "import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';",
    'const ucs2length = ucs2lengthModule.default ?? ucs2lengthModule;',
    body,
    '/** The host schema validator, typed for its callers. */',
    "export const validateHostFile: ((data: unknown) => boolean) & { errors?: import('ajv').ErrorObject[] | null } = validate10;",
    '',
  ].join('\n');
}
