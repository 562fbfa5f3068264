import { NEED_KINDS, sectionKeys } from '../needs/kinds/index.js';
import { PROVIDER_KINDS, SECTION_KINDS } from './host-config.js';
import { argv, namedMap } from './schema-parts.js';

/** The host file's JSON Schema: the one description of its shape, for berth and for editors. */
export const hostSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'berth host configuration',
  description:
    `What this host provides to containers started by berth run: ${inWords(sectionKeys())}, bound to the names images ask for. Read from --host-config FILE, else $BERTH_HOST_CONFIG, else /etc/berth/host.yaml.`,
  type: 'object',
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(SECTION_KINDS.map((kind) => {
      const { key, help, what, entry } = NEED_KINDS[kind].hostSection;
      return [key, namedMap(help, what, entry)];
    })),
    providers: {
      description: 'Providers for names this file does not declare, by kind.',
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(PROVIDER_KINDS.map((kind) => [kind, argv(NEED_KINDS[kind].hostSection.providerHelp)])),
    },
    'provider-timeout': {
      description: 'Seconds a provider may run before berth stops it and the need is unmet. Default 60.',
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 86400,
    },
  },
} as const;

/** `a, b and c`. */
function inWords(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
