import { analyseDockerfile } from '../../core/dockerfile/analyse.js';
import { declaredAt } from '../../core/dockerfile/declared-at.js';
import { stripStatements } from '../../core/dockerfile/preprocess.js';
import { encodeLabels } from '../../core/labels.js';
import { readDockerfile } from '../../edge/files.js';
import type { Output } from '../output.js';
import { reportProblems } from '../problems.js';

export interface PreprocessOptions {
  readonly file: string;
  readonly target?: string;
  readonly labels?: boolean;
}

/** `berth preprocess`: shows what docker will be given, without building. */
export async function preprocessCommand(options: PreprocessOptions, output: Output): Promise<number> {
  const { name, bytes } = await readDockerfile(options.file);
  const analysis = analyseDockerfile(bytes, { file: name, ...(options.target === undefined ? {} : { target: options.target }) });
  reportProblems(analysis.problems, output, name);
  if (options.labels) {
    output.stdout(`${JSON.stringify(encodeLabels(analysis.needs, (need) => declaredAt(need)), null, 2)}\n`);
  } else {
    output.stdout(stripStatements(bytes, analysis.split, analysis.statements));
  }
  return 0;
}
