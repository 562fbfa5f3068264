// How long a service is down while berth run --replace upgrades it, beside the stop, remove and
// run an operator would do by hand: a page is fetched every 50 ms from the address throughout.
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { REPO_ROOT } from '../helpers/berth.js';
import { Cleanup, dockerOk, ensureBaseImage } from '../helpers/engine.js';
import { berth } from './berth-bin.js';
import type { Figure } from './table.js';

const POLL_MS = 50;
const TARGET_MS = 1000;
// busybox httpd ignores SIGTERM; --stop-timeout 1 bounds how long a stop waits for it.
const STOP = ['--stop-timeout', '1'];

export async function benchReplace(): Promise<Figure> {
  const prefix = `berthbench-${process.pid}-${randomBytes(3).toString('hex')}`;
  const cleanup = new Cleanup({ prefix });
  try {
    await ensureBaseImage();
    const dir = await mkdtemp(join(tmpdir(), 'berth-bench-replace-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const pages = join(dir, 'pages');
    await mkdir(pages);
    await writeFile(join(pages, 'index.html'), 'up\n');
    const subnet = `2001:db8:${randomBytes(2).toString('hex')}::`;
    const network = cleanup.network(`${prefix}-net`);
    const address = `${subnet}20`;
    const hostFile = join(dir, 'host.yaml');
    await writeFile(hostFile, `networks:\n  ${network}:\n    subnet6: ${subnet}/112\naddresses:\n  webserver:\n    network: ${network}\n    ipv6: ${address}\nvolumes:\n  webpages:\n    source: ${pages}\n`);
    const image = cleanup.image(`${prefix}/web:1`);
    await run(berth(['build', '-q', '-t', image, join(REPO_ROOT, 'fixtures/web')]).argv);
    const name = cleanup.container(`${prefix}-web`);
    const start = ['run', '--host-config', hostFile, '-d', ...STOP, '--name', name, image];
    await run(berth(start).argv);
    const url = `http://[${address}]/`;
    await upAgain(url);

    const byBerth = await gapDuring(url, () => run(berth(['run', '--host-config', hostFile, '-d', ...STOP, '--name', name, '--replace', name, image]).argv));
    // By hand: a stopped container still holds the address, so the old one must go before the new one can start.
    await upAgain(url);
    const byHand = await gapDuring(url, async () => {
      await dockerOk(['stop', name]);
      await dockerOk(['rm', name]);
      await run(berth(start).argv);
    });
    return {
      what: 'berth run --replace: service down',
      berthMs: byBerth,
      baseline: 'docker stop, docker rm, berth run',
      baselineMs: byHand,
      target: { text: `< ${TARGET_MS} ms`, met: byBerth < TARGET_MS },
    };
  } finally {
    await cleanup.run();
  }
}

async function run(argv: readonly string[]): Promise<void> {
  const [file = '', ...args] = argv;
  await execa(file, args, { stdin: 'ignore' });
}

/** The longest time `url` did not answer while `change` ran, from the last answer before to the first after. */
async function gapDuring(url: string, change: () => Promise<void>): Promise<number> {
  let done = false;
  let lastUp = performance.now();
  let longest = 0;
  const poller = (async () => {
    while (!done) {
      const asked = performance.now();
      if (await answers(url)) {
        longest = Math.max(longest, asked - lastUp);
        lastUp = asked;
      }
      await sleep(Math.max(0, POLL_MS - (performance.now() - asked)));
    }
  })();
  await change();
  // Keep polling until the new container answers, or give up after ten seconds.
  const until = performance.now() + 10_000;
  const changed = performance.now();
  while (lastUp < changed && performance.now() < until) await sleep(POLL_MS);
  done = true;
  await poller;
  return lastUp < changed ? Number.NaN : longest;
}

// A new container's first answer over IPv6 can take a second or two.
async function upAgain(url: string): Promise<void> {
  const until = performance.now() + 20_000;
  while (!(await answers(url))) {
    if (performance.now() > until) throw new Error(`${url} does not answer`);
    await sleep(POLL_MS);
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { timeout: POLL_MS * 4 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode === 200));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
