// Preprocessing a large extended Dockerfile, beside two Dockerfile parsers reading the same text.
import { parse as dockerFileParserParse } from 'docker-file-parser';
import { DockerfileParser } from 'dockerfile-ast';
// The built library, as shipped (`npm run bench` builds first): the test loader's module wrappers
// would otherwise be measured along with berth.
import { analyseDockerfile, stripStatements } from '../../dist/index.js';
import { generateDockerfile } from './dockerfile.js';
import { timeCalls } from './measure.js';
import type { Figure } from './table.js';

const INSTRUCTIONS = 10_000;
const TIMING = { warmup: 10, iterations: 30 } as const;
const LIMIT_MS = 100;

// berth reads the file's bytes, as `berth build` does; the parsers take the text they need.
function preprocess(bytes: Uint8Array): Uint8Array {
  const analysis = analyseDockerfile(bytes, { file: 'Dockerfile' });
  return stripStatements(bytes, analysis.split, analysis.statements);
}

export function benchPreprocessing(): Figure[] {
  const text = generateDockerfile(INSTRUCTIONS);
  const bytes = Buffer.from(text);
  const analysis = analyseDockerfile(bytes, { file: 'Dockerfile' });
  if (analysis.split.instructions.length !== INSTRUCTIONS || analysis.problems.length > 0) {
    throw new Error(`the generated Dockerfile should have ${INSTRUCTIONS} instructions and no problems; berth found ${analysis.split.instructions.length} and ${analysis.problems.length} problems`);
  }
  const berthMs = timeCalls(() => preprocess(bytes), TIMING);
  const dfpMs = timeCalls(() => dockerFileParserParse(text, { includeComments: false }), TIMING);
  const astMs = timeCalls(() => DockerfileParser.parse(text), TIMING);
  const what = `preprocess ${INSTRUCTIONS.toLocaleString('en')} instructions`;
  // Linear in size: ten times the instructions should take about ten times as long.
  const large = Buffer.from(generateDockerfile(INSTRUCTIONS * 10));
  const largeMs = timeCalls(() => preprocess(large), { warmup: 3, iterations: 7 });
  return [
    {
      what,
      berthMs,
      baseline: 'docker-file-parser parse',
      baselineMs: dfpMs,
      target: { text: `< ${LIMIT_MS} ms, <= 1.00x`, met: berthMs < LIMIT_MS && berthMs <= dfpMs },
    },
    { what, berthMs, baseline: 'dockerfile-ast parse', baselineMs: astMs },
    {
      what: `preprocess ${(INSTRUCTIONS * 10).toLocaleString('en')} instructions`,
      berthMs: largeMs,
      baseline: `10 x the ${INSTRUCTIONS.toLocaleString('en')}-instruction time`,
      baselineMs: berthMs * 10,
      target: { text: '<= 1.50x (linear)', met: largeMs <= berthMs * 10 * 1.5 },
    },
  ];
}
