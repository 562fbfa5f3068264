import { BerthError } from '../../core/errors.js';
import { decodeLabels } from '../../core/labels.js';
import { needRow, needToJson, table } from '../../core/needs/describe.js';
import { selectEngine } from '../../edge/engine.js';
import { inspectImage } from '../../edge/images.js';
import { printableJson } from '../../core/printable.js';
import type { Output } from '../output.js';

export interface InspectOptions {
  readonly json?: boolean;
  readonly engine?: string;
}

/** `berth inspect IMAGE`: what an image needs from a host, and where each need was declared. */
export async function inspectCommand(image: string, options: InspectOptions, output: Output): Promise<number> {
  const engine = selectEngine(options.engine);
  const facts = await inspectImage(engine, image);
  if (!facts) {
    throw new BerthError(`image ${image} not found locally (build it with berth build, or pull it)`, { code: 'image.not-found' });
  }
  const decoded = decodeLabels(facts.labels);
  if (options.json) {
    output.stdout(`${printableJson({
      image,
      id: facts.id,
      needs: decoded.needs.map(needToJson),
      problems: decoded.problems.map((p) => ({ label: p.key, message: p.message })),
    }, 2)}\n`);
  } else if (!decoded.present) {
    output.stdout(`${image} declares no needs; berth run starts it exactly as docker run would.\n`);
  } else if (decoded.needs.length > 0) {
    output.stdout(`${table([['KIND', 'NAME', 'DETAILS', 'DECLARED AT'], ...decoded.needs.map(needRow)])}\n`);
  }
  if (decoded.problems.length > 0) {
    const lines = decoded.problems.map((p) => `label ${p.key} ${p.message}`).join('\n');
    throw new BerthError(`${image} has berth labels that cannot be read; berth run will refuse it:\n${lines}`, {
      code: 'labels.invalid',
    });
  }
  return 0;
}
