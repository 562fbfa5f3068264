import { NEED_KINDS } from '../needs/kinds/index.js';
import type { NeedKindName } from '../needs/need.js';
import { PROVIDER_KINDS } from './host-config.js';
import { argv, namedMap } from './schema-parts.js';

// A record, so that the compiler asks where a new kind's section goes; its keys are the order
// of the sections in the schema (and in the messages that list the known keys).
const SECTION_ORDER: Readonly<Record<NeedKindName, true>> = { network: true, address: true, volume: true };
const SECTION_KINDS = Object.keys(SECTION_ORDER) as readonly NeedKindName[];

/** The host file's JSON Schema: the one description of its shape, for berth and for editors. */
export const hostSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'berth host configuration',
  description:
    'What this host provides to containers started by berth run: networks, addresses and volumes, bound to the names images ask for. Read from --host-config FILE, else $BERTH_HOST_CONFIG, else /etc/berth/host.yaml.',
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
