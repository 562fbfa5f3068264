import { stringify } from 'yaml';
import type { HostNetwork } from '../../host/host-config.js';
import { networkCreateArgs, networkSpec, shellQuote } from '../../plan/docker-argv.js';
import type { ExportFormat, ExportInput } from '../format.js';
import type { Placement } from '../placement.js';
import { commentLine } from '../yaml-comment.js';
import { composeParts, isComposeKey, partsPlan, type ComposeMount, type ComposeNetworkJoin } from './service.js';
import { recordRun } from '../../containers/record-run.js';
import { encodeRunLabels, IMAGE_LABEL } from '../../containers/run-labels.js';

/** A compose file as berth writes it: services by image, the networks and volumes they use, all external. */
export interface ComposeFile {
  readonly services: Readonly<Record<string, {
    readonly image: string;
    readonly networks?: Readonly<Record<string, ComposeNetworkJoin>>;
    readonly volumes?: readonly ComposeMount[];
    readonly labels?: Readonly<Record<string, string>>;
  }>>;
  readonly networks?: Readonly<Record<string, { readonly external: true }>>;
  readonly volumes?: Readonly<Record<string, { readonly external: true }>>;
}

/** `berth export --to compose`: one service per image, its needs met by this host's file. */
export const composeFormat: ExportFormat = {
  name: 'compose',
  options: [],
  hosts: 'this-host',
  render(input) {
    const { file, comments } = composeFile(input);
    return { ok: true, text: `${comments.map(commentLine).join('\n')}\n${stringify(file, { lineWidth: 0 })}` };
  },
};

/** The compose file of an export, and the comment lines that say what compose cannot do of it. */
export function composeFile(input: ExportInput): { file: ComposeFile; comments: string[] } {
  const services: Record<string, ComposeFile['services'][string]> = {};
  const networks = new Map<string, HostNetwork>();
  const volumes = new Set<string>();
  const proxies = new Map<string, string[]>();
  for (const placement of input.placed) {
    const parts = composeParts(placement.parts);
    const name = uniqueName(serviceName(placement.image.identity.ref), services);
    const record = placement.parts.length === 0 ? {} : runLabels(placement, input);
    services[name] = {
      image: placement.image.identity.ref,
      ...(Object.keys(parts.networks).length > 0 ? { networks: parts.networks } : {}),
      ...(parts.volumes.length > 0 ? { volumes: parts.volumes } : {}),
      ...(Object.keys(record).length > 0 ? { labels: record } : {}),
    };
    for (const network of parts.externalNetworks) networks.set(network.name, network);
    for (const volume of parts.externalVolumes) volumes.add(volume);
    addProxies(placement, proxies);
  }
  const file: ComposeFile = {
    services,
    ...(networks.size > 0 ? { networks: Object.fromEntries([...networks.keys()].map((n) => [n, { external: true as const }])) } : {}),
    ...(volumes.size > 0 ? { volumes: Object.fromEntries([...volumes].map((v) => [v, { external: true as const }])) } : {}),
  };
  return { file, comments: header(input, [...networks.values()], proxies) };
}

// The labels berth run puts on its containers, so that berth ps, rm and reconcile know these too.
function runLabels(placement: Placement, input: ExportInput): Record<string, string> {
  const [node] = input.nodes;
  if (!node) return {};
  const record = recordRun(node.host.file, placement.image.needs, node.host, partsPlan(placement.parts));
  return { ...encodeRunLabels(record), [IMAGE_LABEL]: placement.image.identity.ref };
}

function header(input: ExportInput, networks: readonly HostNetwork[], proxies: ReadonlyMap<string, readonly string[]>): string[] {
  const hosts = input.nodes.map((node) => node.host.file).join(', ');
  const lines = [`berth export --to compose: ${input.placed.length} image${input.placed.length === 1 ? '' : 's'}, needs met by ${hosts}`];
  const steps: string[] = [];
  for (const network of networks) steps.push(`- network ${network.name} must exist (compose joins it, never creates it): docker ${shellQuote(networkCreateArgs(networkSpec(network)))}`);
  const after: string[] = [];
  for (const [device, addresses] of proxies) {
    after.push(`- compose adds no NDP proxy entries, which answer neighbour discovery on ${device} (net.ipv6.conf.${device}.proxy_ndp=1):`);
    after.push(`  berth reconcile --host-config ${hostsFile(input)} adds them for these containers (they carry berth run's labels), and berth reconcile --watch after each reboot;`);
    after.push('  or by hand:', ...addresses.map((address) => `    ip -6 neigh replace proxy ${address} dev ${device}`));
  }
  for (const node of input.nodes) {
    for (const volume of node.host.volumes.values()) {
      if (!volume.provider || !input.placed.some((p) => p.relies.some((r) => r.section === 'volumes' && r.name === volume.name))) continue;
      steps.push(`- volume ${volume.name} has a provider, which compose never runs: ${volume.type === 'bind' ? volume.source : `Docker volume ${volume.volume}`} must exist first (${shellQuote([...volume.provider, 'volume', volume.name])})`);
    }
    for (const [kind, argv] of Object.entries(node.host.providers)) {
      if (argv) steps.push(`- providers.${kind} (${shellQuote(argv)}) is not exported: only names ${node.host.file} declares are`);
    }
  }
  return [...lines, ...(steps.length > 0 ? ['Before compose up:', ...steps] : []), ...(after.length > 0 ? ['After compose up:', ...after] : [])];
}

function hostsFile(input: ExportInput): string {
  return shellQuote(input.nodes.map((node) => node.host.file));
}

// The IPv6 addresses on networks whose host entry asks for NDP proxying, by interface.
function addProxies(placement: Placement, proxies: Map<string, string[]>): void {
  for (const part of placement.parts) {
    if (part.type !== 'attach' || part.network.ndpProxy === undefined) continue;
    const addresses = proxies.get(part.network.ndpProxy) ?? [];
    for (const ip of part.addresses) if (ip.family === 6 && !addresses.includes(ip.address)) addresses.push(ip.address);
    proxies.set(part.network.ndpProxy, addresses);
  }
}

/** The service name for an image: its repository's last path part, in the characters compose allows. */
export function serviceName(ref: string): string {
  const path = ref.split('@')[0] ?? ref;
  const lastPart = path.slice(path.lastIndexOf('/') + 1);
  const repository = lastPart.includes(':') ? lastPart.slice(0, lastPart.indexOf(':')) : lastPart;
  const name = repository.replace(/[^a-zA-Z0-9._-]/g, '-');
  return isComposeKey(name) ? name : 'service';
}

function uniqueName(base: string, taken: Readonly<Record<string, unknown>>): string {
  let name = base;
  for (let n = 2; Object.hasOwn(taken, name); n += 1) name = `${base}-${n}`;
  return name;
}
