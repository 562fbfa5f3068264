import { BerthError, isBerthError } from '../../core/errors.js';
import type { ExportOptions } from '../../core/export/format.js';
import { EXPORT_FORMATS, exportFormat } from '../../core/export/formats.js';
import { isDnsSubdomain } from '../../core/export/kubernetes/names.js';
import type { ExportNode } from '../../core/export/offer.js';
import { placeImages, type ExportImage, type Placements } from '../../core/export/placement.js';
import { decodeLabels } from '../../core/labels.js';
import type { Problem } from '../../core/problem.js';
import { podmanLocalAliases } from '../../core/plan/image-patterns.js';
import { selectEngine, type Engine } from '../../edge/engine.js';
import { hostConfigPath, readHostConfig } from '../../edge/host-file.js';
import { inspectImage } from '../../edge/images.js';
import type { Output } from '../output.js';

export interface ExportCommandOptions extends ExportOptions {
  readonly to: string;
  readonly hostConfig: readonly string[];
  readonly engine?: string;
}

// The flag of each format option, for refusing one the chosen format does not read.
const FLAGS: Readonly<Record<keyof ExportOptions, string>> = { ipAnnotation: '--ip-annotation', labelsOnly: '--labels-only' };

/** `berth export --to FORMAT IMAGE...`: the images' needs, met by the nodes' host files, as an orchestrator's files. */
export async function exportCommand(images: readonly string[], options: ExportCommandOptions, output: Output): Promise<number> {
  const format = exportFormat(options.to);
  if (!format) throw new BerthError(`unknown export format "${options.to}": use ${Object.keys(EXPORT_FORMATS).join(' or ')}`, { code: 'export.unknown-format' });
  for (const [option, flag] of Object.entries(FLAGS) as [keyof ExportOptions, string][]) {
    if (options[option] !== undefined && !format.options.includes(option)) {
      throw new BerthError(`${flag} does not apply to --to ${format.name}`, { code: 'export.option-not-for-format' });
    }
  }
  if (images.length === 0 && !options.labelsOnly) throw new BerthError('name at least one IMAGE to export', { code: 'export.no-image' });
  const nodes = format.hosts === 'this-host' ? [await readThisHost(options.hostConfig, format.name)] : await readNodes(options.hostConfig);
  const exported = options.labelsOnly ? [] : await readImages(selectEngine(options.engine), [...new Set(images)]);
  const placements = placeImages(exported, nodes);
  if (placements.unplaceable.length > 0) throw unplaceable(placements, format.hosts);
  if (placements.shared.length > 0) throw new BerthError(`${placements.shared.join('\n')}\nnothing was exported`, { code: 'export.shared-address' });
  const rendered = format.render({ placed: placements.placed, nodes }, options);
  if (!rendered.ok) throw new BerthError(`cannot export to ${format.name}:\n${rendered.problems.join('\n')}`, { code: 'export.inexpressible' });
  output.stdout(rendered.text);
  return 0;
}

// A format for one host reads the host file berth run would: --host-config FILE, else the default.
async function readThisHost(specs: readonly string[], format: string): Promise<ExportNode> {
  if (specs.length > 1) throw new BerthError(`--to ${format} writes for one host: give one --host-config FILE`, { code: 'export.one-host' });
  return { name: 'this host', host: await readHostConfig(hostConfigPath(specs[0])) };
}

// Every host file is read before any is refused, so that all their problems are shown at once.
async function readNodes(specs: readonly string[]): Promise<ExportNode[]> {
  if (specs.length === 0) throw new BerthError('give each node a host file: --host-config NODE=FILE (once per node)', { code: 'export.no-node' });
  const nodes: ExportNode[] = [];
  const problems: Problem[] = [];
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    const equals = spec.indexOf('=');
    const name = spec.slice(0, Math.max(equals, 0));
    const file = spec.slice(equals + 1);
    if (equals < 1 || file === '') {
      failures.push(`--host-config ${spec}: write NODE=FILE, the node's name in the cluster and its host file`);
      continue;
    }
    if (!isDnsSubdomain(name) || name.length > 63) {
      failures.push(`--host-config ${spec}: "${name}" is not a Kubernetes node name (lower-case letters, digits, "-" and ".", at most 63 characters)`);
      continue;
    }
    if (seen.has(name)) {
      failures.push(`node ${name} is given two host files; give each node one`);
      continue;
    }
    seen.add(name);
    try {
      nodes.push({ name, host: await readHostConfig(file) });
    } catch (caught) {
      if (!isBerthError(caught)) throw caught;
      problems.push(...caught.problems);
      failures.push(caught.message);
    }
  }
  if (failures.length > 0) throw new BerthError(`${failures.join('\n')}\nnothing was exported`, { code: 'export.bad-host-config', problems });
  return nodes;
}

async function readImages(engine: Engine, refs: readonly string[]): Promise<ExportImage[]> {
  const images: ExportImage[] = [];
  const failures: string[] = [];
  for (const ref of refs) {
    const facts = await inspectImage(engine, ref);
    if (!facts) {
      failures.push(`image ${ref} not found locally (build it with berth build, or pull it)`);
      continue;
    }
    const decoded = decodeLabels(facts.labels);
    if (decoded.problems.length > 0) {
      failures.push(`${ref} has berth labels that cannot be read:\n${decoded.problems.map((p) => `  label ${p.key} ${p.message}`).join('\n')}`);
      continue;
    }
    const aliases = engine.name === 'podman' ? podmanLocalAliases(ref, facts.repoTags) : [];
    images.push({ identity: { ref, digests: facts.repoDigests, aliases }, needs: decoded.needs });
  }
  if (failures.length > 0) throw new BerthError(`${failures.join('\n')}\nnothing was exported`, { code: 'export.bad-image' });
  return images;
}

function unplaceable(placements: Placements, hosts: 'nodes' | 'this-host'): BerthError {
  const lines = placements.unplaceable.flatMap(({ image, misses }) => hosts === 'this-host'
    ? [`this host cannot run ${image.identity.ref}:`, ...misses.map((miss) => `  ${miss.problem}; ${miss.fix}`)]
    : [`no node can run ${image.identity.ref}:`, ...misses.map((miss) => `  node ${miss.node}: ${miss.problem}; ${miss.fix}`)]);
  return new BerthError(`${lines.join('\n')}\nnothing was exported`, { code: 'export.unmet' });
}
