import type { ParsedCompose } from '../core/compose/args.js';
import { viewContainer } from '../core/containers/container-view.js';
import { RUN_SCHEMA_LABEL } from '../core/containers/run-labels.js';
import { composeAttached } from '../edge/compose.js';
import { observeContainers } from '../edge/containers.js';
import { hostConfigPath, readHostConfig } from '../edge/host-file.js';
import { mergedProject, type ComposeRun } from './compose-project.js';
import { say } from './output.js';
import { release } from './remove-containers.js';

/**
 * `down`, then what `berth rm --networks` releases for the project's berth containers that are
 * gone: the NDP proxy entries no container holds any more, and the host file's networks no
 * container is left on.
 */
export async function composeDown(parsed: ParsedCompose, run: ComposeRun): Promise<number> {
  const merged = await mergedProject(parsed, run);
  if (!merged.ok) return merged.status;
  const project = await observeContainers(run.engine, { all: true, label: `com.docker.compose.project=${merged.projectName}` });
  const berths = project.filter((c) => c.labels[RUN_SCHEMA_LABEL] !== undefined);
  const hostFile = hostConfigPath(parsed.berth.hostConfig, run.env);
  const host = berths.length === 0 ? undefined : await readHostConfig(hostFile);
  const status = await composeAttached(run.cli, [...merged.globals, 'down', ...parsed.args]);
  if (berths.length === 0) return status;
  const left = await observeContainers(run.engine, { all: true });
  const gone = berths.filter((c) => !left.some((l) => l.id === c.id)).map((c) => viewContainer(c, hostFile, host, new Map()));
  await release(run.engine, gone, left, { force: true, networks: true, hostFile, ...(host ? { host } : {}), change: (line) => say(run.output, line) });
  return status;
}
