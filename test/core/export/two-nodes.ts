// The two-node case of fixtures/export/two-nodes, read the way berth export reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseDockerfile } from '../../../src/core/dockerfile/analyse.js';
import type { ExportNode } from '../../../src/core/export/offer.js';
import type { ExportImage } from '../../../src/core/export/placement.js';
import { parseHostConfig } from '../../../src/core/host/parse-host-config.js';
import { REPO_ROOT } from '../../helpers/berth.js';

export const TWO_NODES = join(REPO_ROOT, 'fixtures/export/two-nodes');

export function fixtureNode(name: string, file: string, dir = TWO_NODES): ExportNode {
  const { config, problems } = parseHostConfig(readFileSync(join(dir, file), 'utf8'), file);
  if (!config || problems.some((p) => p.severity === 'error')) throw new Error(`${file}: ${JSON.stringify(problems)}`);
  return { name, host: config };
}

export function fixtureImage(ref: string, dockerfile: string, dir = TWO_NODES): ExportImage {
  const analysis = analyseDockerfile(readFileSync(join(dir, dockerfile), 'utf8'), { file: dockerfile });
  return { identity: { ref, digests: [] }, needs: analysis.needs };
}

export const nodes = (): ExportNode[] => [fixtureNode('node-a', 'node-a.yaml'), fixtureNode('node-b', 'node-b.yaml')];
export const images = (): ExportImage[] => [fixtureImage('example/web:1', 'Dockerfile'), fixtureImage('example/worker:1', 'worker.Dockerfile')];
