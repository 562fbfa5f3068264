import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConflicts, type PlannedAdditions } from '../../../src/core/docker-cli/conflicts.js';
import { parseRunArgs } from '../../../src/core/docker-cli/parse-run-args.js';

const facts = (line: string) => parseRunArgs([...line.split(' ').filter((word) => word !== ''), 'img']).asked;
const addressed: PlannedAdditions = {
  networks: [{ name: 'public6', ipv6: '2001:db8::20' }, { name: 'backend' }],
  mountTargets: ['/var/www', '/cache/'],
};
const volumesOnly: PlannedAdditions = { networks: [], mountTargets: ['/var/www'] };

describe('findConflicts', () => {
  const cases: [string, PlannedAdditions, [string, string, RegExp][]][] = [
    ['-d --rm -p 80:80 -v /x:/srv', addressed, []],
    ['--network host', addressed, [['network', '--network host', /^--network host contradicts the image's networks \("public6", "backend"\), which berth connects itself; remove it, or add --allow-override/]]],
    ['--net=a --network b', addressed, [['network', '--network a', /--network a/], ['network', '--network b', /--network b/]]],
    ['--network host --ip 192.0.2.1', volumesOnly, []],
    ['--ip6 2001:db8::99', addressed, [['address', '--ip6 2001:db8::99', /contradicts the address 2001:db8::20 that the image needs on network "public6"/]]],
    ['--ip 192.0.2.1', addressed, [['address', '--ip 192.0.2.1', /contradicts the image's networks \("public6", "backend"\)/]]],
    ['-v /srv/www:/var/www/', volumesOnly, [['mount', '--volume /srv/www:/var/www/', /mounts at \/var\/www, where the image needs a mount of its own/]]],
    ['--mount type=volume,src=c,target=/cache', addressed, [['mount', '--mount type=volume,src=c,target=/cache', /\/cache/]]],
    ['--tmpfs /var/www:size=1m', volumesOnly, [['mount', '--tmpfs /var/www:size=1m', /\/var\/www/]]],
    ['-v /var/www/html', volumesOnly, []],
  ];
  for (const [line, planned, expected] of cases) {
    it(line, () => {
      const found = findConflicts(facts(line), planned);
      assert.equal(found.length, expected.length, JSON.stringify(found));
      expected.forEach(([kind, option, message], index) => {
        assert.equal(found[index]?.kind, kind);
        assert.equal(found[index]?.option, option);
        assert.match(found[index]?.message ?? '', message);
      });
    });
  }
});
