import { BerthError } from '../core/errors.js';
import { engineAnswers, engineCall, engineFailure, isUnreachable, type Engine } from './engine.js';
import { stringRecord, strings } from './engine-json.js';

/** What berth reads of an image: its labels (untrusted) and identity. */
export interface ImageFacts {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly repoDigests: readonly string[];
  /** The image's local names, e.g. `localhost/web:latest` on podman. */
  readonly repoTags: readonly string[];
  /** ONBUILD triggers, which run in images built FROM this one. */
  readonly onBuild: readonly string[];
}

/**
 * Reads an image's labels and digests with `image inspect`; undefined when the image is not local.
 * A failed inspect means "not local" only when the engine itself answers: the engines word a
 * missing image differently, and a bad reference the same way, which the pull then reports.
 */
export async function inspectImage(engine: Engine, image: string): Promise<ImageFacts | undefined> {
  const result = await engineCall(engine, ['image', 'inspect', '--', image]);
  if (result.exitCode !== 0) {
    const answers = await engineAnswers(engine);
    if (answers.exitCode === 0) return undefined;
    throw engineFailure(engine, isUnreachable(answers) ? answers : result, `cannot inspect image ${image}`, 'image.inspect-failed');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch (cause) {
    throw new BerthError(`cannot read what ${engine.name} image inspect printed for ${image}`, { code: 'image.inspect-failed', cause });
  }
  const entry = Array.isArray(parsed) ? (parsed[0] as Record<string, unknown> | undefined) : undefined;
  if (!entry || typeof entry !== 'object') {
    throw new BerthError(`${engine.name} image inspect printed no image for ${image}`, { code: 'image.inspect-failed' });
  }
  const config = (entry['Config'] ?? {}) as Record<string, unknown>;
  return {
    id: typeof entry['Id'] === 'string' ? entry['Id'] : '',
    labels: stringRecord(config['Labels'] ?? entry['Labels']),
    repoDigests: strings(entry['RepoDigests']),
    repoTags: strings(entry['RepoTags']),
    onBuild: strings(config['OnBuild']),
  };
}


