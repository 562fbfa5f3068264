import type { HostAddress, HostNetwork, HostVolume } from '../../host/host-config.js';
import { formatSubnet } from '../../ip.js';
import type { ExportNode, NodeResource, PortablePart } from '../offer.js';
import type { Placement } from '../placement.js';
import { decodeName, encodeName, fingerprint } from './names.js';

/** A Kubernetes object as plain data, ready for YAML. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

export const STORAGE_CLASS = 'berth-local';
export const NAME_ANNOTATION = 'berth/name';
export const IMAGE_ANNOTATION = 'berth/image';
export const VOLUME_LABEL = 'berth/volume';
export const DEPLOYMENT_LABEL = 'berth/deployment';
export const MULTUS_NETWORKS = 'k8s.v1.cni.cncf.io/networks';
export const CALICO_IP_ADDRS = 'cni.projectcalico.org/ipAddrs';
const APP_LABEL = 'app.kubernetes.io/name';
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'berth' };
// Local volumes are not limited in size; claims and volumes need a figure that matches.
const NOMINAL_SIZE = '1Gi';

const LABEL_PREFIX: Readonly<Record<NodeResource['section'], string>> = {
  networks: 'network.berth',
  addresses: 'address.berth',
  volumes: 'volume.berth',
};

/** The node label that says a node's host file declares an entry: `volume.berth/webpages`. */
export function nodeLabelKey(resource: NodeResource): string {
  return `${LABEL_PREFIX[resource.section]}/${encodeName(resource.name)}`;
}

/**
 * The value of that label: what pods see of the entry, so that nodes declaring it alike carry the
 * same value. A volume's is `rw` or `ro`; a network's and an address's are a fingerprint of its
 * subnets, addresses and `images` patterns.
 */
export function nodeLabelValue(node: ExportNode, resource: NodeResource): string | undefined {
  const { host } = node;
  if (resource.section === 'volumes') {
    const volume = host.volumes.get(resource.name);
    return volume && (volume.readOnly ? 'ro' : 'rw');
  }
  if (resource.section === 'networks') {
    const network = host.networks.get(resource.name);
    return network && networkFingerprint(network);
  }
  const address = host.addresses.get(resource.name);
  return address && addressFingerprint(address);
}

export function networkFingerprint(network: HostNetwork): string {
  return fingerprint(JSON.stringify([network.subnet6 && formatSubnet(network.subnet6), network.gateway6, network.subnet4 && formatSubnet(network.subnet4), network.gateway4]));
}

function addressFingerprint(address: HostAddress): string {
  return fingerprint(JSON.stringify([address.network, address.ipv6, address.ipv4, address.images ?? null]));
}

/** Every label berth relies on for one node, from every entry of its host file. */
export function nodeLabels(node: ExportNode): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const resource of entries(node)) {
    const value = nodeLabelValue(node, resource);
    if (value !== undefined) labels[nodeLabelKey(resource)] = value;
  }
  return labels;
}

function entries(node: ExportNode): NodeResource[] {
  const { networks, addresses, volumes } = node.host;
  return [
    ...[...networks.keys()].map((name) => ({ section: 'networks' as const, name })),
    ...[...addresses.keys()].map((name) => ({ section: 'addresses' as const, name })),
    ...[...volumes.keys()].map((name) => ({ section: 'volumes' as const, name })),
  ];
}

/** A partial Node: applying it sets the labels. */
export function nodeObject(node: ExportNode): KubeObject {
  const annotations = hashedLabelNames(node);
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, labels: nodeLabels(node), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) } };
}

/** For each label key whose name had to be hashed, the name itself, under the same key as an annotation. */
export function hashedLabelNames(node: ExportNode): Record<string, string> {
  const names: Record<string, string> = {};
  for (const { section, name } of entries(node)) {
    const key = nodeLabelKey({ section, name });
    if (decodeName(key.slice(key.indexOf('/') + 1)) === undefined) names[key] = name;
  }
  return names;
}

export function storageClass(): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: STORAGE_CLASS, labels: { ...MANAGED_BY } },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Retain',
  };
}

/** The claim of one Deployment's volume: `web.webpages`, a subdomain whose parts are at most 63 characters each. */
export function claimName(deploymentName: string, volume: string): string {
  return `${deploymentName}.${encodeName(volume)}`;
}

// A claim selects the local volumes made for it alone, so that each pod that needs a host's
// directory gets a volume of its own pointing there, as containers share it under berth run.
function claimLabels(deploymentName: string, volume: string): Record<string, string> {
  return { [VOLUME_LABEL]: encodeName(volume), [DEPLOYMENT_LABEL]: deploymentName };
}

/** A local volume on one node for one Deployment's claim of a host directory. */
export function persistentVolume(node: ExportNode, volume: HostVolume & { type: 'bind' }, deploymentName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `${claimName(deploymentName, volume.name)}.${node.name}`, labels: { ...claimLabels(deploymentName, volume.name), ...MANAGED_BY }, annotations: { [NAME_ANNOTATION]: volume.name } },
    spec: {
      capacity: { storage: NOMINAL_SIZE },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: STORAGE_CLASS,
      local: { path: volume.source },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node.name] }] }] } },
    },
  };
}

/** The claim of a Deployment's volume need; it binds to that Deployment's local volume on the node the pod lands on. */
export function persistentVolumeClaim(deploymentName: string, volume: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(deploymentName, volume), labels: { ...MANAGED_BY }, annotations: { [NAME_ANNOTATION]: volume } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: STORAGE_CLASS,
      selector: { matchLabels: claimLabels(deploymentName, volume) },
      resources: { requests: { storage: NOMINAL_SIZE } },
    },
  };
}

/** The Linux bridge a network becomes on every node (at most 15 characters). */
export function bridgeName(network: HostNetwork): string {
  return `berth${fingerprint(network.name).slice(0, 10)}`;
}

/** A Multus network: a bridge whose addresses each pod asks for (static IPAM with the `ips` capability). */
export function networkAttachment(network: HostNetwork): KubeObject {
  const routes = network.gateway6 ? [{ dst: '::/0', gw: network.gateway6 }] : [];
  const config = {
    cniVersion: '0.3.1',
    name: encodeName(network.name),
    type: 'bridge',
    bridge: bridgeName(network),
    ipam: { type: 'static', ...(routes.length > 0 ? { routes } : {}) },
    capabilities: { ips: true },
  };
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: encodeName(network.name), labels: { ...MANAGED_BY }, annotations: { [NAME_ANNOTATION]: network.name } },
    spec: { config: JSON.stringify(config) },
  };
}

/** The networks a pod joins, merged per network, with the addresses it gets on each. */
export function attachments(parts: readonly PortablePart[]): { network: HostNetwork; addresses: string[] }[] {
  const byName = new Map<string, { network: HostNetwork; addresses: string[] }>();
  for (const part of parts) {
    if (part.type !== 'attach') continue;
    const slot = byName.get(part.network.name) ?? { network: part.network, addresses: [] };
    byName.set(part.network.name, slot);
    for (const ip of part.addresses) if (!slot.addresses.includes(ip.address)) slot.addresses.push(ip.address);
  }
  return [...byName.values()];
}

/** How a pod asks for its networks and addresses: Multus's annotation, or Calico's for the addresses. */
export function ipAnnotations(parts: readonly PortablePart[], mode: 'multus' | 'calico'): Record<string, string> {
  const joined = attachments(parts);
  const multus = (mode === 'calico' ? joined.filter((a) => a.addresses.length === 0) : joined).map(({ network, addresses }) => ({
    name: encodeName(network.name),
    ...(addresses.length > 0 ? { ips: addresses.map((address) => withPrefix(network, address)) } : {}),
  }));
  const annotations: Record<string, string> = {};
  if (multus.length > 0) annotations[MULTUS_NETWORKS] = JSON.stringify(multus);
  if (mode === 'calico') {
    const addresses = joined.flatMap((a) => a.addresses);
    if (addresses.length > 0) annotations[CALICO_IP_ADDRS] = JSON.stringify(addresses);
  }
  return annotations;
}

function withPrefix(network: HostNetwork, address: string): string {
  const subnet = address.includes(':') ? network.subnet6 : network.subnet4;
  return subnet ? `${address}/${subnet.prefix}` : address;
}

/** One pod of the image, on a node that has all it needs, never two at once (an address cannot be held twice). */
export function deployment(name: string, placement: Placement, labelSelector: readonly { key: string; values: readonly string[] }[], mode: 'multus' | 'calico'): KubeObject {
  const mounts = placement.parts.filter((part): part is PortablePart & { type: 'mount' } => part.type === 'mount');
  const annotations = ipAnnotations(placement.parts, mode);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { [APP_LABEL]: name, ...MANAGED_BY }, annotations: { [IMAGE_ANNOTATION]: placement.image.identity.ref } },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { [APP_LABEL]: name } },
      template: {
        metadata: { labels: { [APP_LABEL]: name }, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
        spec: {
          ...(labelSelector.length > 0 ? {
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{
              matchExpressions: labelSelector.map(({ key, values }) => ({ key, operator: 'In', values: [...values] })),
            }] } } },
          } : {}),
          containers: [{
            name,
            image: placement.image.identity.ref,
            ...(mounts.length > 0 ? { volumeMounts: mounts.map((m) => ({ name: encodeName(m.volume.name), mountPath: m.target, ...(m.readOnly ? { readOnly: true } : {}) })) } : {}),
          }],
          ...(mounts.length > 0 ? {
            volumes: mounts.map((m) => ({ name: encodeName(m.volume.name), persistentVolumeClaim: { claimName: claimName(name, m.volume.name), ...(m.readOnly ? { readOnly: true } : {}) } })),
          } : {}),
        },
      },
    },
  };
}

/** A Deployment name from an image reference: its last path component without tag, as a DNS label. */
export function deploymentName(ref: string): string {
  const path = ref.split('@')[0] ?? ref;
  const last = path.slice(path.lastIndexOf('/') + 1).replace(/:[^:]*$/, '');
  const name = last.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  return name === '' ? 'image' : name;
}
