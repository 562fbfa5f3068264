import { stringify } from 'yaml';
import type { HostNetwork } from '../../host/host-config.js';
import type { ExportFormat, ExportInput, ExportOptions } from '../format.js';
import type { ExportNode } from '../offer.js';
import type { Placement } from '../placement.js';
import { commentLine as comment } from '../yaml-comment.js';
import { objectProblems } from './checks.js';
import {
  attachments, bridgeName, deployment, deploymentName, hashedLabelNames, networkAttachment, networkFingerprint, nodeLabelKey, nodeLabels,
  nodeLabelValue, nodeObject, persistentVolume, persistentVolumeClaim, STORAGE_CLASS, storageClass, type KubeObject,
} from './objects.js';

/** One YAML document: the object and the comment lines printed above it. */
export interface KubeDocument {
  readonly comments: readonly string[];
  readonly object: KubeObject;
}

const IP_ANNOTATIONS = ['multus', 'calico'] as const;
type IpMode = (typeof IP_ANNOTATIONS)[number];

/** `berth export --to kubernetes`: Deployments, claims, local volumes, Multus networks and node labels. */
export const kubernetesFormat: ExportFormat = {
  name: 'kubernetes',
  options: ['ipAnnotation', 'labelsOnly'],
  hosts: 'nodes',
  render(input, options) {
    const mode = options.ipAnnotation ?? 'multus';
    if (!isIpMode(mode)) return { ok: false, problems: [`--ip-annotation must be multus or calico, not "${mode}"`] };
    if (options.labelsOnly) return { ok: true, text: labelScript(input.nodes) };
    const built = kubernetesDocuments(input, { ...options, ipAnnotation: mode });
    if (!built.ok) return built;
    return { ok: true, text: formatDocuments(built.documents) };
  },
};

/** The documents of an export, every object checked against Kubernetes' name and label-key rules. */
export function kubernetesDocuments(input: ExportInput, options: ExportOptions): { ok: true; documents: KubeDocument[] } | { ok: false; problems: string[] } {
  const mode: IpMode = options.ipAnnotation === 'calico' ? 'calico' : 'multus';
  const problems = [...networkClashes(input.nodes), ...(mode === 'calico' ? calicoLimits(input.placed) : [])];
  if (problems.length > 0) return { ok: false, problems };
  const names = new Set<string>();
  const named = input.placed.map((placement) => ({ placement, name: uniqueName(deploymentName(placement.image.identity.ref), names) }));
  const documents: KubeDocument[] = [];
  documents.push({ comments: header(input, mode), object: storageClass() });
  const networksDone = new Set<string>();
  for (const node of input.nodes) {
    documents.push({ comments: [`node ${node.name} (${node.host.file})`, ...admin(node), 'Sets the labels the Deployments select nodes by (or: berth export --to kubernetes --labels-only --host-config ... | sh).'], object: nodeObject(node) });
    for (const { placement, name } of named) {
      if (!placement.nodes.includes(node)) continue;
      for (const part of placement.parts) {
        const volume = part.type === 'mount' ? node.host.volumes.get(part.volume.name) : undefined;
        if (volume?.type === 'bind') documents.push({ comments: [`volume ${volume.name} on node ${node.name} (${volume.source}) for deployment ${name}`], object: persistentVolume(node, volume, name) });
      }
    }
    for (const network of node.host.networks.values()) {
      if (networksDone.has(network.name)) continue;
      networksDone.add(network.name);
      documents.push({ comments: networkComments(network), object: networkAttachment(network) });
    }
  }
  for (const { placement, name } of named) {
    for (const part of placement.parts) {
      if (part.type === 'mount') documents.push({ comments: [`volume ${part.volume.name} of ${placement.image.identity.ref}: binds to its local volume on the node the pod runs on`], object: persistentVolumeClaim(name, part.volume.name) });
    }
    documents.push({ comments: deploymentComments(placement, name, mode), object: deployment(name, placement, selector(placement), mode) });
  }
  const invalid = documents.flatMap(({ object }) => objectProblems(object));
  return invalid.length > 0 ? { ok: false, problems: invalid } : { ok: true, documents };
}

/** Multi-document YAML, each document after its comments. */
export function formatDocuments(documents: readonly KubeDocument[]): string {
  return documents.map(({ comments, object }) => `---\n${comments.map(comment).join('\n')}\n${stringify(object, { lineWidth: 0 })}`).join('');
}

// `kubectl label` lines for every node: what --labels-only prints.
function labelScript(nodes: readonly ExportNode[]): string {
  const lines = ['#!/bin/sh', '# The node labels the Deployments of berth export --to kubernetes select nodes by.', 'set -e'];
  for (const node of nodes) {
    const labels = Object.entries(nodeLabels(node)).map(([key, value]) => `${key}=${value}`);
    lines.push(comment(`${node.name}: ${node.host.file}`));
    if (labels.length > 0) lines.push(`kubectl label node ${node.name} --overwrite ${labels.join(' ')}`);
    const names = Object.entries(hashedLabelNames(node)).map(([key, name]) => `${key}=${name}`);
    if (names.length > 0) lines.push(`kubectl annotate node ${node.name} --overwrite ${names.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function selector(placement: Placement): { key: string; values: string[] }[] {
  return placement.relies.map((resource) => ({
    key: nodeLabelKey(resource),
    values: [...new Set(placement.nodes.map((node) => nodeLabelValue(node, resource)).filter((v): v is string => v !== undefined))].sort(),
  }));
}

function header(input: ExportInput, mode: IpMode): string[] {
  const lines = [
    `berth export --to kubernetes: ${input.placed.length} image${input.placed.length === 1 ? '' : 's'}, nodes ${input.nodes.map((n) => `${n.name} (${n.host.file})`).join(', ')}`,
    `Needs the Multus CNI plugin (NetworkAttachmentDefinition) and the bridge and static CNI plugins on every node.`,
    `Names that are not DNS-1123 labels are written b--ESCAPED (see berth's README) or, when too long, h--START-HASH;`,
    `every object made for a name carries it in its berth/name annotation.`,
    `Each volume need is a claim that binds, through StorageClass ${STORAGE_CLASS}, to a local volume made for it on each node it may run on.`,
  ];
  if (mode === 'calico') {
    lines.push('--ip-annotation calico: Calico gives a pod one IPv6 and one IPv4 address, on its primary interface only;');
    lines.push('each address must lie in a Calico IPPool of the cluster (create one per subnet below).');
  }
  return lines;
}

// What a host file says that Kubernetes has no object for: the cluster admin must provide it.
function admin(node: ExportNode): string[] {
  const lines: string[] = [];
  for (const network of node.host.networks.values()) {
    if (network.ndpProxy) lines.push(`Kubernetes adds no NDP proxy entries: on ${node.name} run "ip -6 neigh replace proxy ADDRESS dev ${network.ndpProxy}" for each address of network ${network.name} (with net.ipv6.conf.${network.ndpProxy}.proxy_ndp=1), or route its subnet to the node.`);
    if (network.options.size > 0) lines.push(`Docker options of network ${network.name} (${[...network.options.keys()].join(', ')}) have no Kubernetes form.`);
  }
  for (const volume of node.host.volumes.values()) {
    if (volume.type === 'docker-volume') lines.push(`volume ${volume.name} is Docker volume ${volume.volume}, which Kubernetes cannot mount: create PersistentVolumes on ${node.name} with storageClassName ${STORAGE_CLASS} and the labels the claims of ${volume.name} select.`);
    if (volume.provider) lines.push(`volume ${volume.name} has a provider (${volume.provider.join(' ')}), which Kubernetes never runs: ${volume.type === 'bind' ? volume.source : volume.volume} must exist on ${node.name} before a pod mounts it.`);
  }
  for (const [kind, argv] of Object.entries(node.host.providers)) {
    if (argv) lines.push(`providers.${kind} (${argv.join(' ')}) is not exported: declare the names it hands out in ${node.host.file}.`);
  }
  return lines;
}

function networkComments(network: HostNetwork): string[] {
  const gateways = [network.gateway6, network.gateway4].filter((g): g is string => g !== undefined);
  return [
    `network ${network.name}: Linux bridge ${bridgeName(network)} on every node that declares it.`,
    ...(gateways.length > 0 ? [`Give that bridge the gateway address${gateways.length > 1 ? 'es' : ''} ${gateways.join(' and ')} on each node, as docker did on the host.`] : []),
    'Pods get the addresses they ask for (static IPAM); a pod that only joins the network gets none.',
  ];
}

function deploymentComments(placement: Placement, name: string, mode: IpMode): string[] {
  const joined = attachments(placement.parts);
  const lines = [`image ${placement.image.identity.ref}: runs on node${placement.nodes.length === 1 ? '' : 's'} ${placement.nodes.map((n) => n.name).join(', ')}`];
  if (joined.length > 0) {
    lines.push(`podman ignores the ${mode === 'calico' ? 'Calico and Multus annotations' : 'Multus annotation'}: podman kube play ${podmanNetworks(joined)} FILE (deployment ${name})`);
  }
  return lines;
}

// podman kube play takes --ip for a pod on one network with one address; otherwise each
// network names its own addresses, as berth run does for podman.
function podmanNetworks(joined: readonly { network: HostNetwork; addresses: readonly string[] }[]): string {
  const [only] = joined;
  if (joined.length === 1 && only && only.addresses.length <= 1) {
    return [`--network ${only.network.name}`, ...only.addresses.map((a) => `--ip ${a}`)].join(' ');
  }
  return joined.map(({ network, addresses }) => {
    const ips = addresses.map((a) => `${a.includes(':') ? 'ip6' : 'ip'}=${a}`).join(',');
    return `--network ${network.name}${ips === '' ? '' : `:${ips}`}`;
  }).join(' ');
}

// One NetworkAttachmentDefinition per network name serves every node, so nodes must declare a network alike.
function networkClashes(nodes: readonly ExportNode[]): string[] {
  const seen = new Map<string, { node: ExportNode; fingerprint: string }>();
  const problems: string[] = [];
  for (const node of nodes) {
    for (const network of node.host.networks.values()) {
      const print = networkFingerprint(network);
      const first = seen.get(network.name);
      if (!first) seen.set(network.name, { node, fingerprint: print });
      else if (first.fingerprint !== print) {
        problems.push(`network ${network.name} is declared with other subnets or gateways in ${node.host.file} (node ${node.name}) than in ${first.node.host.file} (node ${first.node.name}); Kubernetes has one network of that name for all nodes: declare it alike, or rename one`);
      }
    }
  }
  return problems;
}

function calicoLimits(placed: readonly Placement[]): string[] {
  return placed.flatMap((placement) => {
    const addresses = attachments(placement.parts).flatMap((a) => a.addresses);
    const v6 = addresses.filter((a) => a.includes(':'));
    const v4 = addresses.filter((a) => !a.includes(':'));
    return v6.length > 1 || v4.length > 1
      ? [`${placement.image.identity.ref} needs ${addresses.join(', ')}, but Calico gives a pod at most one IPv6 and one IPv4 address (on its primary interface): export it with --ip-annotation multus`]
      : [];
  });
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

function isIpMode(mode: string): mode is IpMode {
  return (IP_ANNOTATIONS as readonly string[]).includes(mode);
}

