import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunArgs } from '../../../src/core/docker-cli/parse-run-args.js';

const args = (line: string): string[] => line.split(' ').filter((word) => word !== '');

describe('parseRunArgs finds the image and command', () => {
  const cases: [string, string[], string, string[]][] = [
    // argv, docker options, image, command
    ['img', [], 'img', []],
    ['img cmd -x --y', [], 'img', ['cmd', '-x', '--y']],
    ['-v /a:/b img', ['-v', '/a:/b'], 'img', []],
    ['-e A=1 img cmd -x', ['-e', 'A=1'], 'img', ['cmd', '-x']],
    ['--name=x img', ['--name=x'], 'img', []],
    ['--name x img', ['--name', 'x'], 'img', []],
    ['-p 8080:80 img', ['-p', '8080:80'], 'img', []],
    ['-eA=1 img', ['-eA=1'], 'img', []],
    ['-e=A=1 img', ['-e=A=1'], 'img', []],
    ['-it img sh', ['-it'], 'img', ['sh']],
    ['-dit img', ['-dit'], 'img', []],
    ['-itp 80:80 img', ['-itp', '80:80'], 'img', []],
    ['-itp80:80 img', ['-itp80:80'], 'img', []],
    ['-ite A=1 img', ['-ite', 'A=1'], 'img', []],
    ['--rm=true img', ['--rm=true'], 'img', []],
    ['--rm false', ['--rm'], 'false', []],
    ['-d -- img -d', ['-d'], 'img', ['-d']],
    ['-- -img', [], '-img', []],
    ['--entrypoint -x img', ['--entrypoint', '-x'], 'img', []],
    ['-w /srv --user 1000:1000 img', ['-w', '/srv', '--user', '1000:1000'], 'img', []],
    ['--net=host --dns-opt ndots:1 img', ['--net=host', '--dns-opt', 'ndots:1'], 'img', []],
    ['--health-start-interval 5s --annotation a=b img', ['--health-start-interval', '5s', '--annotation', 'a=b'], 'img', []],
    ['--kernel-memory 4m img', ['--kernel-memory', '4m'], 'img', []],
    ['--use-api-socket img', ['--use-api-socket'], 'img', []],
    ['img --host-config /x', [], 'img', ['--host-config', '/x']],
    ['- cmd', [], '-', ['cmd']],
  ];
  for (const [line, dockerOptions, image, command] of cases) {
    it(line, () => {
      const parsed = parseRunArgs(args(line));
      assert.deepEqual(parsed.dockerOptions, dockerOptions);
      assert.equal(parsed.image, image);
      assert.deepEqual(parsed.command, command);
    });
  }
});

describe('parseRunArgs passes podman options through', () => {
  const cases: [string, string[]][] = [
    ['--pod mypod img', ['--pod', 'mypod']],
    ['--userns keep-id --uidmap 0:1:1 img', ['--userns', 'keep-id', '--uidmap', '0:1:1']],
    ['--systemd always --secret s img', ['--systemd', 'always', '--secret', 's']],
    ['--tls-verify --rmi img', ['--tls-verify', '--rmi']],
    ['--tls-verify=false --tz UTC img', ['--tls-verify=false', '--tz', 'UTC']],
    ['--ulimit nofile=1024:1024 img', ['--ulimit', 'nofile=1024:1024']],
  ];
  for (const [line, dockerOptions] of cases) {
    it(line, () => {
      const parsed = parseRunArgs(args(line));
      assert.deepEqual(parsed.dockerOptions, dockerOptions);
      assert.equal(parsed.image, 'img');
    });
  }
});

describe("parseRunArgs reads berth's own options", () => {
  it('takes them out of the docker options wherever they stand before the image', () => {
    const parsed = parseRunArgs(args('--host-config /etc/h.yaml -d --dry-run --engine=podman --bind web=web-b --allow-override --replace web-1 --verbose --bind=volume.pages=pages-b --rm img'));
    assert.deepEqual(parsed.berth, {
      hostConfig: '/etc/h.yaml',
      engine: 'podman',
      replace: 'web-1',
      dryRun: true,
      allowOverride: true,
      bind: ['web=web-b', 'volume.pages=pages-b'],
      verbose: true,
      help: false,
    });
    assert.deepEqual(parsed.dockerOptions, ['-d', '--rm']);
  });

  it('defaults to nothing', () => {
    assert.deepEqual(parseRunArgs(['img']).berth, { dryRun: false, allowOverride: false, bind: [], verbose: false, help: false });
  });

  it('reads switches given with a value', () => {
    assert.equal(parseRunArgs(args('--dry-run=false img')).berth.dryRun, false);
  });

  it('answers --help itself, without needing an image', () => {
    const parsed = parseRunArgs(args('--rm --help'));
    assert.equal(parsed.berth.help, true);
    assert.equal(parsed.image, '');
    assert.deepEqual(parsed.dockerOptions, ['--rm']);
  });
});

describe('parseRunArgs reads what the user\'s options ask for', () => {
  it('reads switches, clusters and =false', () => {
    const facts = parseRunArgs(args('-dit --rm=false img')).asked;
    assert.deepEqual([facts.detach, facts.interactive, facts.tty, facts.rm], [true, true, true, false]);
  });

  it('lets the last of a repeated option win', () => {
    const facts = parseRunArgs(args('--rm --rm=0 --name a --name=b img')).asked;
    assert.equal(facts.rm, false);
    assert.equal(facts.name, 'b');
  });

  it("takes podman's --rmi as --rm", () => {
    assert.equal(parseRunArgs(args('--rmi img')).asked.rm, true);
  });

  it('reads networks, addresses, platform and pull', () => {
    const facts = parseRunArgs(
      args('--net host --network=name=n2,ip=192.0.2.9 --ip 192.0.2.1 --ip6=2001:db8::1 --platform linux/arm64 --pull never -a stdout img'),
    ).asked;
    assert.deepEqual(facts.networks, ['host', 'name=n2,ip=192.0.2.9']);
    assert.equal(facts.ip, '192.0.2.1');
    assert.equal(facts.ip6, '2001:db8::1');
    assert.equal(facts.platform, 'linux/arm64');
    assert.equal(facts.pull, 'never');
    assert.deepEqual(facts.attach, ['stdout']);
  });

  it('reads the last --cidfile, as docker does', () => {
    assert.equal(parseRunArgs(args('--cidfile /tmp/a --cidfile=/tmp/b img')).asked.cidfile, '/tmp/b');
    assert.equal(parseRunArgs(args('img')).asked.cidfile, undefined);
  });

  it('reads mount targets of -v, --volume, --mount and --tmpfs', () => {
    const facts = parseRunArgs([
      '-v', '/srv/www:/var/www:ro',
      '--volume=/data',
      '-vcache:/var/cache/',
      '--mount', 'type=bind,src=/a,dst=/b',
      '--mount=type=volume,"target=/c,d",source=vol',
      '--tmpfs', '/run:size=1m',
      'img',
    ]).asked;
    assert.deepEqual(facts.mounts, [
      { option: '--volume', value: '/srv/www:/var/www:ro', target: '/var/www', source: '/srv/www' },
      { option: '--volume', value: '/data', target: '/data' },
      { option: '--volume', value: 'cache:/var/cache/', target: '/var/cache', source: 'cache' },
      { option: '--mount', value: 'type=bind,src=/a,dst=/b', target: '/b', source: '/a' },
      { option: '--mount', value: 'type=volume,"target=/c,d",source=vol', target: '/c,d', source: 'vol' },
      { option: '--tmpfs', value: '/run:size=1m', target: '/run' },
    ]);
  });

  it('ignores what the command says', () => {
    const facts = parseRunArgs(args('img -d --rm --name x')).asked;
    assert.deepEqual([facts.detach, facts.rm, facts.name], [false, false, undefined]);
  });
});

describe('parseRunArgs refuses', () => {
  const cases: [string[], string, RegExp][] = [
    [[], 'cli.missing-image', /^no IMAGE given; write berth run \[OPTIONS\] IMAGE/],
    [['--rm'], 'cli.missing-image', /no IMAGE given/],
    [['-v', 'img'], 'cli.missing-image', /-v took "img" as its value/],
    [['--name=x', '--'], 'cli.missing-image', /no IMAGE given/],
    [[''], 'cli.missing-image', /empty/],
    [['--name'], 'cli.missing-value', /^option --name needs a value/],
    [['-e'], 'cli.missing-value', /option -e needs a value/],
    [['-itp'], 'cli.missing-value', /option -p needs a value/],
    [['--host-config'], 'cli.missing-value', /--host-config/],
    [['--frobnicate', 'img'], 'cli.unknown-option', /^unknown option --frobnicate: .*--frobnicate=VALUE/],
    [['-itX', 'img'], 'cli.unknown-option', /unknown option "-X" in "-itX"/],
    [['-y', 'img'], 'cli.unknown-option', /unknown option "-y":/],
    [['---x', 'img'], 'cli.unknown-option', /bad option syntax/],
    [['--=x', 'img'], 'cli.unknown-option', /bad option syntax/],
    [['--rm=maybe', 'img'], 'cli.invalid-value', /--rm=maybe is not a valid switch value/],
    [['--dry-run=yes', 'img'], 'cli.invalid-value', /--dry-run=yes/],
  ];
  for (const [argv, code, message] of cases) {
    it(`${JSON.stringify(argv)} with ${code}`, () => {
      assert.throws(() => parseRunArgs(argv), { name: 'BerthError', code, message });
    });
  }

  it('lets an unknown --option=value through', () => {
    const parsed = parseRunArgs(args('--future-flag=1 -d img'));
    assert.deepEqual(parsed.dockerOptions, ['--future-flag=1', '-d']);
    assert.equal(parsed.image, 'img');
  });
});
