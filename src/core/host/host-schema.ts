import { NAME_PATTERN } from '../needs/grammar.js';

/** The rule for names, in words, for messages and editors. */
export const NAME_HELP = 'letters, digits, "_", "." and "-", starting with a letter or digit, at most 64 characters';

function argv(description: string) {
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

function namedMap(description: string, what: string, entry: object) {
  return {
    description,
    type: 'object',
    propertyNames: { description: `${what} name: ${NAME_HELP}.`, pattern: NAME_PATTERN.source },
    additionalProperties: entry,
  } as const;
}

const network = {
  description:
    'A Docker network berth creates when it does not exist (docker network create --ipv6 --subnet ...). An existing network with other subnets is an error; berth never changes or removes it.',
  type: 'object',
  additionalProperties: false,
  properties: {
    subnet6: {
      description: 'IPv6 subnet, ADDRESS/PREFIX without host bits, e.g. 2001:db8:1::8888:0/112.',
      type: 'string',
    },
    gateway6: {
      description: 'IPv6 gateway inside subnet6. Optional: Docker picks one when absent.',
      type: 'string',
      format: 'ipv6',
    },
    subnet4: {
      description: 'IPv4 subnet, ADDRESS/PREFIX without host bits, e.g. 192.0.2.0/24.',
      type: 'string',
    },
    gateway4: {
      description: 'IPv4 gateway inside subnet4. Optional: Docker picks one when absent.',
      type: 'string',
      format: 'ipv4',
    },
    'ndp-proxy': {
      description:
        'Host interface on which berth answers IPv6 neighbour discovery for the addresses of this network (ip -6 neigh replace proxy ADDR dev IF). Needs net.ipv6.conf.IF.proxy_ndp=1.',
      type: 'string',
      pattern: '^(?!\\.\\.?$)[^\\s/:]{1,15}$',
    },
    options: {
      description: 'Docker network driver options, passed as -o KEY=VALUE when berth creates the network.',
      type: 'object',
      propertyNames: { pattern: '^[^=]+$' },
      additionalProperties: { type: 'string' },
    },
  },
  anyOf: [{ required: ['subnet6'] }, { required: ['subnet4'] }],
} as const;

const address = {
  description: 'A named address: images ask for the name, the host decides the IPv6 and/or IPv4 address.',
  type: 'object',
  additionalProperties: false,
  required: ['network'],
  properties: {
    network: {
      description: 'Name of the network (under networks:) whose subnet holds the address.',
      type: 'string',
    },
    ipv6: {
      description: "IPv6 address inside the network's subnet6, without /prefix.",
      type: 'string',
      format: 'ipv6',
    },
    ipv4: {
      description: "IPv4 address inside the network's subnet4, without /prefix.",
      type: 'string',
      format: 'ipv4',
    },
    images: {
      description:
        'Glob patterns of the images that may claim this address, matched against the image reference given to berth run and its repository digest. Absent: any image may.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
    },
  },
  anyOf: [{ required: ['ipv6'] }, { required: ['ipv4'] }],
} as const;

const volume = {
  description: 'A named volume: a host directory (source) or a Docker named volume (volume), exactly one of the two.',
  type: 'object',
  additionalProperties: false,
  properties: {
    source: {
      description: 'Absolute path of a host directory, bind-mounted. It must exist; berth never creates it.',
      type: 'string',
      pattern: '^/',
    },
    volume: {
      description: 'Name of a Docker named volume. It must exist; berth never creates it silently.',
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]+$',
    },
    readonly: {
      description: 'Always mount read-only, whatever the image asks.',
      type: 'boolean',
    },
    provider: argv('Runs when the volume is missing, to make it exist.'),
  },
  oneOf: [{ required: ['source'] }, { required: ['volume'] }],
} as const;

/** The host file's JSON Schema: the one description of its shape, for berth and for editors. */
export const hostSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'berth host configuration',
  description:
    'What this host provides to containers started by berth run: networks, addresses and volumes, bound to the names images ask for. Read from --host-config FILE, else $BERTH_HOST_CONFIG, else /etc/berth/host.yaml.',
  type: 'object',
  additionalProperties: false,
  properties: {
    networks: namedMap('Docker networks, by name.', 'Network', network),
    addresses: namedMap('Named addresses, by name.', 'Address', address),
    volumes: namedMap('Named volumes, by name.', 'Volume', volume),
    providers: {
      description: 'Providers for names this file does not declare, by kind.',
      type: 'object',
      additionalProperties: false,
      properties: {
        volume: argv('Provides undeclared volumes; prints {"source": ...} or {"volume": ...} on stdout.'),
        address: argv('Provides undeclared addresses; prints {"network": ..., "ipv6": ...} on stdout.'),
        network: argv('Provides undeclared networks; prints {"subnet6": ...} on stdout.'),
      },
    },
    'provider-timeout': {
      description: 'Seconds a provider may run before berth stops it and the need is unmet. Default 60.',
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 86400,
    },
  },
} as const;
