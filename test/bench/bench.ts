// `npm run bench`: berth's performance beside its baselines (the README's Performance section), measured in one run.
import { engineAvailable } from '../helpers/engine.js';
import { benchBuildAndRun } from './build-and-run.js';
import { describeMachine } from './machine.js';
import { benchPreprocessing } from './preprocess.js';
import { benchReplace } from './replace.js';
import { benchStartup } from './startup.js';
import { allMet, formatFigures, type Figure } from './table.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

for (const line of await describeMachine()) say(line);
say('');

const figures: Figure[] = [...benchPreprocessing(), ...(await benchStartup())];
let timeline: readonly string[] = [];
if (await engineAvailable()) {
  const measured = await benchBuildAndRun();
  figures.push(...measured.figures, await benchReplace());
  timeline = measured.timeline;
} else {
  say('docker does not answer: berth build and berth run were not measured (start it with test/engine/ensure-engine.sh)\n');
  process.exitCode = 1;
}

say(formatFigures(figures));
say('');
for (const line of timeline) say(line);
say(allMet(figures) ? 'every target is met' : 'some targets are NOT met');
