import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { optionTable, switched, valued } from '../../../src/core/docker-cli/option-table.js';
import { regroup, scanOptions, switchValue, type ScannedOption } from '../../../src/core/docker-cli/scan-options.js';

const table = optionTable([
  switched('interactive', { short: 'i' }),
  switched('tty', { short: 't' }),
  valued('env', { short: 'e' }),
  valued('file', { short: 'f' }),
  valued('net', { aliasOf: 'network' }),
  valued('network'),
]);
const run = { command: 'run', interspersed: false };
const build = { command: 'build', interspersed: true };

/** Each option as `name=value` (`name:=value` when the value sat inline), groups separated by `|`. */
function describeScan(argv: string[], context = run): string {
  const { groups, operands } = scanOptions(argv, table, context);
  const shown = groups.map((group) => group.options.map((option) => `${option.name}${option.inline ? ':' : ''}=${option.value}`).join(' '));
  return `${shown.join(' | ')} ; ${operands.join(' ')}`;
}

describe('scanOptions reads every style docker reads', () => {
  const cases: [string[], string][] = [
    [['-e', 'A=1', 'img'], 'env=A=1 ; img'],
    [['-eA=1', 'img'], 'env:=A=1 ; img'],
    [['-e=A=1', 'img'], 'env:=A=1 ; img'],
    [['--env', 'A', 'img'], 'env=A ; img'],
    [['--env=A', 'img'], 'env:=A ; img'],
    [['--env=', 'img'], 'env:= ; img'],
    [['--env', '--tty', 'img'], 'env=--tty ; img'],
    [['-it', 'img'], 'interactive=true tty=true ; img'],
    [['-ite', 'A', 'img'], 'interactive=true tty=true env=A ; img'],
    [['-iteA', 'img'], 'interactive=true tty=true env:=A ; img'],
    [['-ei', 'img'], 'env:=i ; img'],
    [['-t=false', 'img'], 'tty:=false ; img'],
    [['-it=0', 'img'], 'interactive=true tty:=0 ; img'],
    [['--tty=false', 'img'], 'tty:=false ; img'],
    [['--tty', 'false'], 'tty=true ; false'],
    [['--net', 'host', 'img'], 'network=host ; img'],
    [['--later=x', 'img'], 'later:=x ; img'],
    [['-i', '--', '-t', 'x'], 'interactive=true ; -t x'],
    [['-', '-i'], ' ; - -i'],
    [['', '-i'], ' ;  -i'],
  ];
  for (const [argv, expected] of cases) {
    it(JSON.stringify(argv), () => assert.equal(describeScan(argv), expected));
  }

  it('stops at the first operand unless interspersed', () => {
    assert.equal(describeScan(['img', '-i']), ' ; img -i');
    assert.equal(describeScan(['ctx', '-i', 'more'], build), 'interactive=true ; ctx more');
  });

  it('keeps the argv elements of each group', () => {
    const withPublish = optionTable([...table.byLong.values(), valued('publish', { short: 'p' })]);
    const { groups } = scanOptions(['-itp', '80:80', '-e', 'A', '--tty', 'img'], withPublish, run);
    assert.deepEqual(groups.map((group) => group.argv), [['-itp', '80:80'], ['-e', 'A'], ['--tty']]);
  });
});

describe('regroup', () => {
  const notFile = (option: ScannedOption): boolean => option.name !== 'file';
  const cases: [string[], string[]][] = [
    [['-f', 'x'], []],
    [['--file=x'], []],
    [['-itf', 'x'], ['-it']],
    [['-itfx'], ['-it']],
    [['-it'], ['-it']],
    [['-e', 'A'], ['-e', 'A']],
  ];
  for (const [argv, expected] of cases) {
    it(`${JSON.stringify(argv)} without -f`, () => {
      const [group] = scanOptions(argv, table, build).groups;
      assert.ok(group);
      assert.deepEqual(regroup(group, notFile), expected);
    });
  }

  it('keeps a value and an inline switch value when dropping an earlier letter', () => {
    const notTty = (option: ScannedOption): boolean => option.name !== 'tty';
    const [valueGroup] = scanOptions(['-tieA'], table, build).groups;
    const [switchGroup] = scanOptions(['-ti=false'], table, build).groups;
    assert.ok(valueGroup && switchGroup);
    assert.deepEqual(regroup(valueGroup, notTty), ['-ie', 'A']);
    assert.deepEqual(regroup(switchGroup, notTty), ['-i=false']);
  });
});

describe('switchValue', () => {
  const option = (value: string): ScannedOption => ({ spec: switched('rm'), name: 'rm', flag: '--rm', value, inline: true });
  for (const value of ['1', 't', 'T', 'true', 'TRUE', 'True']) it(`${value} is true`, () => assert.equal(switchValue(option(value)), true));
  for (const value of ['0', 'f', 'F', 'false', 'FALSE', 'False']) it(`${value} is false`, () => assert.equal(switchValue(option(value)), false));
  it('refuses anything else', () => {
    assert.throws(() => switchValue(option('yes')), { code: 'cli.invalid-value' });
  });
});
