// berth build and berth run beside the docker commands that do the same work, on the real engine.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseDockerfile } from '../../src/core/dockerfile/analyse.js';
import { stripStatements } from '../../src/core/dockerfile/preprocess.js';
import { networkCreateArgs } from '../../src/core/plan/docker-argv.js';
import { Cleanup, dockerOk, ensureBaseImage } from '../helpers/engine.js';
import { berth } from './berth-bin.js';
import { timeCommand, timeCommands, type Command } from './measure.js';
import type { Figure } from './table.js';

const RUNS = 11;
const BUILD_SLACK_MS = 100;
const RUN_RATIO = 1.2;

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
}

export async function benchBuildAndRun(): Promise<Figure[]> {
  const prefix = `berthbench-${process.pid}-${randomBytes(3).toString('hex')}`;
  const cleanup = new Cleanup({ prefix });
  // Ctrl-C stops the commands being timed; what the benchmark made is still removed.
  const interrupted = () => void cleanup.run().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    const scene = await setUp(prefix, cleanup);
    return [await benchBuild(scene), await benchRun(scene)];
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
  };
}

// Both builds run once before timing, so that every step of every timed build is cached.
async function benchBuild(scene: Scene): Promise<Figure> {
  const berthBuild = berth(['build', '-t', scene.berthImage, scene.context]);
  const dockerBuild: Command = { argv: ['docker', 'build', '-t', scene.dockerImage, '-f', scene.plainDockerfile, scene.context] };
  await timeCommand(berthBuild);
  await timeCommand(dockerBuild);
  const [berthMs = Number.NaN, dockerMs = Number.NaN] = await timeCommands([berthBuild, dockerBuild], RUNS);
  return {
    what: 'berth build (fully cached)',
    berthMs,
    baseline: 'docker build',
    baselineMs: dockerMs,
    target: { text: `<= +${BUILD_SLACK_MS} ms`, met: berthMs - dockerMs <= BUILD_SLACK_MS },
  };
}

// The image built by berth, started by berth and by the docker run berth would have to write by hand.
async function benchRun(scene: Scene): Promise<Figure> {
  const berthRun = berth(['run', '--host-config', scene.hostFile, '--rm', scene.berthImage, 'true']);
  const dockerRun: Command = {
    argv: [
      'docker', 'run', '--rm',
      '--network', scene.network,
      '--ip6', scene.address,
      '--mount', `type=bind,source=${scene.pages},target=/www,readonly`,
      scene.berthImage, 'true',
    ],
  };
  const [berthMs = Number.NaN, dockerMs = Number.NaN] = await timeCommands([berthRun, dockerRun], RUNS);
  return {
    what: 'berth run --rm IMAGE true',
    berthMs,
    baseline: 'docker run --rm --network --ip6 --mount',
    baselineMs: dockerMs,
    target: { text: `<= ${RUN_RATIO.toFixed(2)}x`, met: berthMs <= RUN_RATIO * dockerMs },
  };
}
