import { basename, dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ParsedCompose } from '../core/compose/args.js';
import { readComposeProject, type ComposeProject, type ComposeService } from '../core/compose/project.js';
import { composeCall, defaultComposeFiles, type ComposeCli } from '../edge/compose.js';
import type { Engine } from '../edge/engine.js';
import type { Output } from './output.js';

/** A service's Dockerfile, as far as berth must know it: whether it has statements, so berth builds it. */
export type ExtendedBuild = (service: ComposeService, tag: string, dockerOptions: readonly string[]) => Promise<'plain' | number>;

/** What `berth compose` works with: the compose command, the engine, where it prints, how it builds. */
export interface ComposeRun {
  readonly cli: ComposeCli;
  readonly engine: Engine;
  readonly output: Output;
  /** Builds a service whose Dockerfile has statements (as `berth build`); `plain` when it has none. */
  readonly build: ExtendedBuild;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

// berth's own -f stops compose from looking for its default files, so berth names them.
export async function mergedProject(parsed: ParsedCompose, run: ComposeRun): Promise<
  { ok: true; project: ComposeProject; projectName: string; globals: string[] } | { ok: false; status: number }
> {
  const found = parsed.files.length > 0 ? [] : await defaultComposeFiles(parsed.projectDirectory ?? run.cwd, run.env);
  const globals = [...parsed.globals, ...found.flatMap((file) => ['-f', file])];
  const config = await composeCall(run.cli, [...globals, 'config']);
  if (config.exitCode !== 0) {
    run.output.stderr(config.stderr);
    return { ok: false, status: config.exitCode };
  }
  const project = readComposeProject(parse(config.stdout));
  const projectName = nameOf(parsed, project.name, [...parsed.files.map((f) => resolve(run.cwd, f)), ...found], run);
  return { ok: true, project, projectName, globals };
}

// The project name as compose picks it, which names the images it builds: -p, $COMPOSE_PROJECT_NAME,
// the file's `name:`, else the project folder's name with only lower-case letters, digits, - and _.
function nameOf(parsed: ParsedCompose, named: string | undefined, files: readonly string[], run: ComposeRun): string {
  const given = parsed.projectName ?? (run.env['COMPOSE_PROJECT_NAME'] || named);
  if (given) return given;
  const folder = parsed.projectDirectory ? resolve(run.cwd, parsed.projectDirectory) : dirname(files[0] ?? resolve(run.cwd, 'x'));
  return basename(folder).toLowerCase().replace(/[^a-z0-9_-]/g, '');
}
