import { NAME_PATTERN } from '../needs/grammar.js';

/** The rule for names, in words, for messages and editors. */
export const NAME_HELP = 'letters, digits, "_", "." and "-", starting with a letter or digit, at most 64 characters';

/** A provider's argument vector, in the host file's schema. */
export function argv(description: string) {
  return {
    description: `${description} An argument vector, run without a shell; the first element is the executable's absolute path. berth appends KIND and NAME.`,
    type: 'array',
    minItems: 1,
    items: [
      {
        description: 'Absolute path of the provider executable.',
        type: 'string',
        pattern: '^/',
      },
    ],
    additionalItems: { type: 'string' },
  } as const;
}

/** A host-file section: entries by NAME. */
export function namedMap(description: string, what: string, entry: object) {
  return {
    description,
    type: 'object',
    propertyNames: { description: `${what} name: ${NAME_HELP}.`, pattern: NAME_PATTERN.source },
    additionalProperties: entry,
  } as const;
}

