import { switchValue, type ScannedOption } from './scan-options.js';
import { switched, valued, type OptionSpec } from './option-table.js';

/*
 * berth's own options. Each is a long option that neither docker nor podman has, so it may stand
 * anywhere among the docker options (before the IMAGE of run); berth takes it out before calling
 * the engine. After the IMAGE everything is the container's command, berth's names included.
 *
 * | option             | command    | meaning                                                                  |
 * | ------------------ | ---------- | ------------------------------------------------------------------------ |
 * | --host-config FILE | run        | the host file; else $BERTH_HOST_CONFIG, else /etc/berth/host.yaml        |
 * | --dry-run          | run        | print the resolution table and the exact docker commands; create nothing |
 * | --engine NAME      | run, build | the CLI that talks to the engine: docker (default) or podman;            |
 * |                    |            | else $BERTH_ENGINE                                                       |
 * | --allow-override   | run        | a user option that contradicts a need (--network, --ip, --ip6, a         |
 * |                    |            | mount at a needed target) wins instead of being refused                  |
 * | --bind K.NAME=HOST | run        | meet the image's need NAME with the host's entry HOST (repeatable)       |
 * | --replace CONTAINER| run        | upgrade in place: the new container takes over what CONTAINER holds      |
 * |                    |            | (podman run's own --replace switch is not reachable through berth)       |
 * | --verbose          | run        | each host change and engine command on stderr                            |
 *
 * `--help` (and `-h` of build) is docker's own option, but berth answers it: it is reported as
 * `help` and left out of the options passed to docker.
 */

export const HOST_CONFIG_OPTION = 'host-config';
export const DRY_RUN_OPTION = 'dry-run';
export const ENGINE_OPTION = 'engine';
export const ALLOW_OVERRIDE_OPTION = 'allow-override';
export const BIND_OPTION = 'bind';
export const REPLACE_OPTION = 'replace';
export const VERBOSE_OPTION = 'verbose';

const BERTH = { by: 'berth' } as const;

export const BERTH_RUN_OPTIONS: readonly OptionSpec[] = [
  valued(HOST_CONFIG_OPTION, BERTH),
  switched(DRY_RUN_OPTION, BERTH),
  valued(ENGINE_OPTION, BERTH),
  switched(ALLOW_OVERRIDE_OPTION, BERTH),
  valued(BIND_OPTION, BERTH),
  valued(REPLACE_OPTION, BERTH),
  switched(VERBOSE_OPTION, BERTH),
];

export const BERTH_BUILD_OPTIONS: readonly OptionSpec[] = [valued(ENGINE_OPTION, BERTH)];

/** What berth's own options asked for. */
export interface BerthOptions {
  readonly hostConfig?: string;
  readonly dryRun: boolean;
  readonly engine?: string;
  readonly allowOverride: boolean;
  /** `--bind [KIND.]NAME=HOST-NAME`, each as given, in order. */
  readonly bind: readonly string[];
  /** `--replace CONTAINER`: the container the new one takes over from. */
  readonly replace?: string;
  /** `--verbose`: each host change and engine command on stderr. */
  readonly verbose: boolean;
  /** `--help` was given: berth prints its help instead of running anything. */
  readonly help: boolean;
}

/** Reads berth's options out of a scanned argv; the last of a repeated option wins, as in docker, but every --bind counts. */
export function readBerthOptions(options: readonly ScannedOption[]): BerthOptions {
  let hostConfig: string | undefined;
  let engine: string | undefined;
  let dryRun = false;
  let allowOverride = false;
  let replace: string | undefined;
  let verbose = false;
  const bind: string[] = [];
  let help = false;
  for (const option of options) {
    if (option.name === 'help') help = switchValue(option);
    if (option.spec?.by !== 'berth') continue;
    if (option.name === HOST_CONFIG_OPTION) hostConfig = option.value;
    if (option.name === ENGINE_OPTION) engine = option.value;
    if (option.name === DRY_RUN_OPTION) dryRun = switchValue(option);
    if (option.name === ALLOW_OVERRIDE_OPTION) allowOverride = switchValue(option);
    if (option.name === BIND_OPTION && option.value !== undefined) bind.push(option.value);
    if (option.name === REPLACE_OPTION) replace = option.value;
    if (option.name === VERBOSE_OPTION) verbose = switchValue(option);
  }
  return {
    ...(hostConfig === undefined ? {} : { hostConfig }),
    ...(engine === undefined ? {} : { engine }),
    ...(replace === undefined ? {} : { replace }),
    dryRun,
    allowOverride,
    bind,
    verbose,
    help,
  };
}

/** True for an option that goes on to docker: anything but berth's own options and `--help`. */
export function isDockerOption(option: ScannedOption): boolean {
  return option.spec?.by !== 'berth' && option.name !== 'help';
}
