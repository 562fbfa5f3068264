import { analyseDockerfile } from '../../core/dockerfile/analyse.js';
import { isBerthError } from '../../core/errors.js';
import type { HostConfig } from '../../core/host/host-config.js';
import { kindOf } from '../../core/needs/kinds/index.js';
import { needName, type Need } from '../../core/needs/need.js';
import { warning, type Problem } from '../../core/problem.js';
import { readDockerfile } from '../../edge/files.js';
import { hostConfigPath, readHostConfig } from '../../edge/host-file.js';
import type { Output } from '../output.js';
import { reportProblems } from '../problems.js';

export interface CheckOptions {
  readonly file?: string;
  readonly target?: string;
  readonly hostConfig?: string;
}

/** `berth check`: every problem of a Dockerfile and/or host file at once, without building or running. */
export async function checkCommand(options: CheckOptions, output: Output): Promise<number> {
  const file = options.file ?? (options.hostConfig === undefined ? 'Dockerfile' : undefined);
  const problems: Problem[] = [];
  let needs: readonly Need[] = [];
  const checked: string[] = [];
  if (file !== undefined) {
    const { name, bytes } = await readDockerfile(file);
    const analysis = analyseDockerfile(bytes, { file: name, ...(options.target === undefined ? {} : { target: options.target }) });
    problems.push(...analysis.problems);
    needs = analysis.needs;
    checked.push(`${name} (${needs.length} need${needs.length === 1 ? '' : 's'})`);
  }
  let host: HostConfig | undefined;
  if (options.hostConfig !== undefined) {
    try {
      hostConfigPath(options.hostConfig); // refuses an empty name, as berth run does
      // Nothing runs with it, so its problems name the file as it was given, like a compiler's.
      host = await readHostConfig(options.hostConfig);
    } catch (caught) {
      if (!isBerthError(caught) || caught.code !== 'host.invalid') throw caught;
      problems.push(...caught.problems);
    }
    checked.push(options.hostConfig);
  }
  if (host && file !== undefined) problems.push(...unprovided(needs, host));
  reportProblems(problems, output, checked.join(' and '));
  output.stdout(`ok: ${checked.join(', ')}\n`);
  return 0;
}

// Needs the host file neither declares nor has a provider for: `berth run` would refuse the image.
function unprovided(needs: readonly Need[], host: HostConfig): Problem[] {
  const problems: Problem[] = [];
  for (const need of needs) {
    if (need.origin.source !== 'dockerfile') continue;
    const missing = kindOf(need).unprovided(need, host);
    if (missing) problems.push(warning(need.origin.at, 'check.unprovided', `${need.kind} "${needName(need)}" ${missing} in ${host.file}; berth run would refuse the image there`));
  }
  return problems;
}
