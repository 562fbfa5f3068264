// berth build and berth run beside the docker commands that do the same work, on the real engine.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyseDockerfile } from '../../src/core/dockerfile/analyse.js';
import { stripStatements } from '../../src/core/dockerfile/preprocess.js';
import { networkCreateArgs } from '../../src/core/plan/docker-argv.js';
import { Cleanup, dockerOk, ensureBaseImage } from '../helpers/engine.js';
import { berth } from './berth-bin.js';
import type { Command } from './measure.js';
import { realDocker, timeOutsideDocker, type OutsideDocker } from './outside-docker.js';
import type { Figure } from './table.js';
import { timelines } from './timeline.js';

const BUILD_RUNS = 11;
const RUN_RUNS = 15;
// What berth may spend above a Node program that only does the same engine work.
const BUILD_OVER_FLOOR_MS = 15;
const RUN_OVER_FLOOR_MS = 25;
const FLOOR_RUN = fileURLToPath(new URL('./floor-run.mjs', import.meta.url));
const FLOOR_BUILD = fileURLToPath(new URL('./floor-build.mjs', import.meta.url));

/** Everything the commands work on, in a temporary folder and under one name prefix. */
interface Scene {
  readonly context: string;
  /** The same Dockerfile without its statements, outside the context, as berth build writes it. */
  readonly plainDockerfile: string;
  readonly hostFile: string;
  readonly pages: string;
  readonly network: string;
  readonly address: string;
  readonly berthImage: string;
  readonly dockerImage: string;
  readonly floorImage: string;
}

export interface BuildAndRun {
  readonly figures: readonly Figure[];
  /** Where the time of one berth run goes, beside the floor program's. */
  readonly timeline: readonly string[];
}

export async function benchBuildAndRun(): Promise<BuildAndRun> {
  const prefix = `berthbench-${process.pid}-${randomBytes(3).toString('hex')}`;
  const cleanup = new Cleanup({ prefix });
  // Ctrl-C stops the commands being timed; what the benchmark made is still removed.
  const interrupted = () => void cleanup.run().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    const scene = await setUp(prefix, cleanup);
    const figures = [...(await benchBuild(scene)), ...(await benchRun(scene))];
    const [berthRun, floorRun] = runCommands(scene);
    return { figures, timeline: await timelines([{ name: 'berth run', command: berthRun }, { name: 'the floor program', command: floorRun }]) };
  } finally {
    process.off('SIGINT', interrupted);
    await cleanup.run();
  }
}

async function setUp(prefix: string, cleanup: Cleanup): Promise<Scene> {
  const base = await ensureBaseImage();
  const dir = await mkdtemp(join(tmpdir(), 'berth-bench-'));
  cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  const context = join(dir, 'context');
  const pages = join(dir, 'pages');
  await mkdir(context);
  await mkdir(pages);
  await mkdir(join(dir, 'plain'));
  const dockerfile = [
    `FROM ${base}`,
    'ADDRESS webserver',
    'NEED volume webpages /www ro',
    'COPY page.html /default/index.html',
    'RUN echo built > /built.txt',
    'CMD ["httpd", "-f", "-h", "/www"]',
    '',
  ].join('\n');
  await writeFile(join(context, 'Dockerfile'), dockerfile);
  await writeFile(join(context, 'page.html'), '<p>berth</p>\n');
  const analysis = analyseDockerfile(dockerfile, { file: 'Dockerfile' });
  const plainDockerfile = join(dir, 'plain', 'Dockerfile');
  await writeFile(plainDockerfile, stripStatements(dockerfile, analysis.split, analysis.statements));

  // A documentation subnet (2001:db8::/32) of its own, so that it overlaps no other network.
  const subnet = `2001:db8:${randomBytes(2).toString('hex')}::`;
  const network = cleanup.network(`${prefix}-net`);
  await dockerOk(networkCreateArgs({ name: network, subnet6: `${subnet}/112`, options: {} }));
  const address = `${subnet}20`;
  const hostFile = join(dir, 'host.yaml');
  await writeFile(hostFile, [
    'networks:',
    `  ${network}:`,
    `    subnet6: ${subnet}/112`,
    'addresses:',
    '  webserver:',
    `    network: ${network}`,
    `    ipv6: ${address}`,
    'volumes:',
    '  webpages:',
    `    source: ${pages}`,
    '',
  ].join('\n'));
  return {
    context,
    plainDockerfile,
    hostFile,
    pages,
    network,
    address,
    berthImage: cleanup.image(`${prefix}/berth:1`),
    dockerImage: cleanup.image(`${prefix}/docker:1`),
    floorImage: cleanup.image(`${prefix}/floor:1`),
  };
}

// Every build runs once before timing (see inTurns), so that every step of every timed build is cached.
async function benchBuild(scene: Scene): Promise<Figure[]> {
  const berthBuild = berth(['build', '-t', scene.berthImage, scene.context]);
  const floorBuild: Command = { argv: [process.execPath, FLOOR_BUILD, '-t', scene.floorImage, '-f', scene.plainDockerfile, scene.context] };
  const dockerBuild: Command = { argv: [realDocker(), 'build', '-t', scene.dockerImage, '-f', scene.plainDockerfile, scene.context] };
  const times = await timeOutsideDocker([berthBuild, floorBuild, dockerBuild], BUILD_RUNS, 'build');
  return figuresOf({ what: 'berth build (fully cached)', docker: 'docker build', floor: 'node spawning docker build', overFloorMs: BUILD_OVER_FLOOR_MS, times });
}

interface Measured {
  /** What is measured, e.g. `berth run --rm IMAGE true`. */
  readonly what: string;
  /** The docker command berth runs, e.g. `docker run`. */
  readonly docker: string;
  /** The floor program, in a few words. */
  readonly floor: string;
  readonly overFloorMs: number;
  readonly times: readonly OutsideDocker[];
}

/**
 * The target's figure, berth's time outside the docker CLI beside the floor's, then the whole
 * commands beside the floor's and plain docker's. Both wrappers' whole times include the docker
 * stand-in's few milliseconds; plain docker runs without it.
 */
function figuresOf(measured: Measured): Figure[] {
  const [berthTimes, floorTimes, dockerTimes] = measured.times;
  const { what, overFloorMs } = measured;
  const berthOutside = berthTimes?.outsideMs ?? Number.NaN;
  const floorOutside = floorTimes?.outsideMs ?? Number.NaN;
  const berthWhole = berthTimes?.wholeMs ?? Number.NaN;
  return [
    {
      what: `${what}, outside ${measured.docker}`,
      berthMs: berthOutside,
      baseline: `floor (${measured.floor}), outside ${measured.docker}`,
      baselineMs: floorOutside,
      target: { text: `<= +${overFloorMs} ms`, met: berthOutside - floorOutside <= overFloorMs },
    },
    { what, berthMs: berthWhole, baseline: `floor (${measured.floor})`, baselineMs: floorTimes?.wholeMs ?? Number.NaN },
    { what, berthMs: berthWhole, baseline: `plain ${measured.docker}`, baselineMs: dockerTimes?.wholeMs ?? Number.NaN },
  ];
}

// The image built by berth, started by berth, by the floor program and by the docker run berth would have to write by hand.
function runCommands(scene: Scene): [berthRun: Command, floorRun: Command, dockerRun: Command] {
  const dockerArgs = [
    'run', '--rm',
    '--network', scene.network,
    '--ip6', scene.address,
    '--mount', `type=bind,source=${scene.pages},target=/www,readonly`,
    scene.berthImage, 'true',
  ];
  return [
    berth(['run', '--host-config', scene.hostFile, '--rm', scene.berthImage, 'true']),
    { argv: [process.execPath, FLOOR_RUN, scene.berthImage, scene.network, ...dockerArgs] },
    { argv: [realDocker(), ...dockerArgs] },
  ];
}

async function benchRun(scene: Scene): Promise<Figure[]> {
  const times = await timeOutsideDocker(runCommands(scene), RUN_RUNS, 'run');
  return figuresOf({ what: 'berth run --rm IMAGE true', docker: 'docker run', floor: 'node, 2 engine API GETs, spawning docker run', overFloorMs: RUN_OVER_FLOOR_MS, times });
}
