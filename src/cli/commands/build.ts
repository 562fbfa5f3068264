import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { analyseDockerfile, type Analysis } from '../../core/dockerfile/analyse.js';
import { lineage } from '../../core/dockerfile/stages.js';
import { argsBeforeFrom, expandBase, inheritedNeeds } from '../../core/inherited-needs.js';
import { printable } from '../../core/printable.js';
import { inspectImage } from '../../edge/images.js';
import { declaredAt } from '../../core/dockerfile/declared-at.js';
import { stripStatements } from '../../core/dockerfile/preprocess.js';
import { parseBuildArgs, type ParsedBuild } from '../../core/docker-cli/parse-build-args.js';
import { BerthError } from '../../core/errors.js';
import { encodeLabels, LABEL_PREFIX } from '../../core/labels.js';
import { engineAttached, engineCall, letQueriesGo, selectEngine, type Engine } from '../../edge/engine.js';
import { fileProblem } from '../../edge/errno.js';
import { readDockerfile } from '../../edge/files.js';
import { writePlainDockerfile } from '../../edge/plain-dockerfile.js';
import { say, type Output } from '../output.js';
import { reportProblems } from '../problems.js';

/** `berth build`: docker build of the plain Dockerfile, with the needs added as labels. */
export async function buildCommand(argv: readonly string[], output: Output, help: () => Promise<void>): Promise<number> {
  const parsed = parseBuildArgs(argv);
  if (parsed.berth.help) {
    await help();
    return 0;
  }
  const engine = selectEngine(parsed.berth.engine);
  refuseOwnLabels(parsed.labels);
  const file = dockerfilePath(parsed);
  const { name, bytes } = await readDockerfile(file);
  const analysis = analyseDockerfile(bytes, { file: name, ...(parsed.target === undefined ? {} : { target: parsed.target }) });
  reportProblems(analysis.problems, output, name);

  const tag = parsed.tags[0];
  // The engine reads the base image while berth writes the plain Dockerfile.
  const inherited = baseNeeds(engine, analysis, parsed, output);
  inherited.catch(() => undefined);
  await letQueriesGo();
  const context = isLocal(parsed.context) ? parsed.context : undefined;
  const plain = writePlainDockerfile(stripStatements(bytes, analysis.split, analysis.statements), file, context);
  try {
    const labels = { ...(await inherited), ...encodeLabels(analysis.needs, (need) => declaredAt(need, tag)) };
    const labelArgs = Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
    const contextArgs = parsed.context.startsWith('-') && parsed.context !== '-' ? ['--', parsed.context] : [parsed.context];
    return await engineAttached(engine, ['build', ...parsed.dockerOptions, ...labelArgs, '-f', plain.path, ...contextArgs]);
  } finally {
    plain.remove();
  }
}

// Needs of the external base image reach the built image through label inheritance: list them,
// warn about those the Dockerfile does not declare, and return origin labels that name the base.
async function baseNeeds(engine: Engine, analysis: Analysis, parsed: ParsedBuild, output: Output): Promise<Record<string, string>> {
  if (!analysis.built) return {};
  const root = analysis.stages[lineage(analysis.stages, analysis.built.index).at(-1) ?? analysis.built.index];
  const written = root?.base ?? '';
  if (written === '') return {};
  const base = expandBase(written, parsed.buildArgs, argsBeforeFrom(analysis.split));
  if (base === undefined) {
    say(output, `warning: base image ${printable(written)} uses a build argument berth cannot resolve, so the needs it passes on are not listed`);
    return {};
  }
  if (base.toLowerCase() === 'scratch') return {};
  // berth must read the base's labels before docker build; it pulls as the build would.
  let facts = await inspectImage(engine, base).catch(() => undefined);
  if (!facts && (await engineCall(engine, ['pull', '--quiet', '--', base])).exitCode === 0) facts = await inspectImage(engine, base).catch(() => undefined);
  if (!facts) {
    say(output, `warning: cannot read base image ${printable(base)} before the build, so the needs it passes on are not listed (pull it first)`);
    return {};
  }
  const found = inheritedNeeds(base, facts.labels, facts.onBuild, analysis.needs);
  for (const note of found.notes) say(output, note);
  for (const warning of found.warnings) say(output, `warning: ${warning}`);
  return { ...found.originLabels };
}

// Labels under berth's prefix say what the image needs; only statements may set them.
function refuseOwnLabels(labels: readonly string[]): void {
  const own = labels.find((label) => label.startsWith(LABEL_PREFIX));
  if (own !== undefined) {
    throw new BerthError(`--label ${own}: labels starting with "${LABEL_PREFIX}" are berth's own; declare needs with ADDRESS/NEED in the Dockerfile`, {
      code: 'build.own-label',
    });
  }
}

const REMOTE_CONTEXT = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

// A context folder on this machine, rather than stdin (-) or a URL docker fetches itself.
function isLocal(context: string): boolean {
  return context !== '-' && !REMOTE_CONTEXT.test(context);
}

// The Dockerfile berth must read: -f FILE, or PATH/Dockerfile for a local context.
function dockerfilePath(parsed: ParsedBuild): string {
  const local = isLocal(parsed.context);
  if (local) requireDirectory(parsed.context);
  if (parsed.file !== undefined) return parsed.file;
  if (local) return join(parsed.context, 'Dockerfile');
  throw new BerthError(`berth reads the Dockerfile before docker does, so with context ${parsed.context} give it as a local file: -f FILE (or -f - for stdin)`, {
    code: 'build.dockerfile-unreachable',
  });
}

function requireDirectory(path: string): void {
  let info: Stats;
  try {
    info = statSync(path);
  } catch (cause) {
    throw new BerthError(`cannot use build context ${path}: ${fileProblem(cause).read} (give the folder to build as PATH)`, {
      code: 'build.missing-context',
      cause,
    });
  }
  if (!info.isDirectory()) {
    throw new BerthError(`build context ${path} is not a folder (give the folder to build as PATH)`, { code: 'build.missing-context' });
  }
}
