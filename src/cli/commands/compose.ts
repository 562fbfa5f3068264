import { resolve } from 'node:path';
import { parseComposeArgs } from '../../core/compose/args.js';
import type { ComposeService } from '../../core/compose/project.js';
import { analyseDockerfile } from '../../core/dockerfile/analyse.js';
import { findCompose } from '../../edge/compose.js';
import { selectEngine } from '../../edge/engine.js';
import { readDockerfile } from '../../edge/files.js';
import { composeProject } from '../../run/compose.js';
import type { Output } from '../output.js';
import { buildCommand } from './build.js';

/** `berth compose [BERTH-OPTIONS] [COMPOSE-OPTIONS] COMMAND [ARGS]`: compose, with each service's needs met. */
export async function composeCommand(argv: readonly string[], output: Output, help: () => Promise<void>): Promise<number> {
  const parsed = parseComposeArgs(argv);
  if (parsed.berth.help && parsed.command === undefined) {
    await help();
    return 0;
  }
  const build = async (service: ComposeService, tag: string, dockerOptions: readonly string[]): Promise<'plain' | number> => {
    const { build: spec } = service;
    if (!spec) return 'plain';
    const file = resolve(spec.context, spec.dockerfile ?? 'Dockerfile');
    const { name, bytes } = await readDockerfile(file);
    if (analyseDockerfile(bytes, { file: name, ...(spec.target === undefined ? {} : { target: spec.target }) }).statements.length === 0) return 'plain';
    const args = Object.entries(spec.args).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]);
    return buildCommand(['-t', tag, '-f', file, ...args, ...dockerOptions, ...(spec.target === undefined ? [] : ['--target', spec.target]), spec.context], output, help);
  };
  return composeProject(parsed, { cli: await findCompose(), engine: selectEngine('docker'), output, build, cwd: process.cwd(), env: process.env });
}
