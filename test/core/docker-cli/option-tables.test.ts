import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BERTH_BUILD_OPTIONS, BERTH_RUN_OPTIONS } from '../../../src/core/docker-cli/berth-options.js';
import { BUILD_OPTIONS } from '../../../src/core/docker-cli/build-options.js';
import { optionTable, type OptionSpec } from '../../../src/core/docker-cli/option-table.js';
import { RUN_OPTIONS } from '../../../src/core/docker-cli/run-options.js';

function arity(specs: readonly OptionSpec[], name: string): string {
  const spec = optionTable(specs).byLong.get(name);
  if (spec === undefined) return 'missing';
  return `${spec.takesValue ? 'value' : 'switch'}${spec.short === undefined ? '' : ` -${spec.short}`}`;
}

describe('option tables', () => {
  it('list every name and letter once, berth options included', () => {
    assert.doesNotThrow(() => optionTable([...BERTH_RUN_OPTIONS, ...RUN_OPTIONS]));
    assert.doesNotThrow(() => optionTable([...BERTH_BUILD_OPTIONS, ...BUILD_OPTIONS]));
  });

  it('name only real options as aliases', () => {
    for (const specs of [RUN_OPTIONS, BUILD_OPTIONS]) {
      const table = optionTable(specs);
      for (const spec of specs) if (spec.aliasOf !== undefined) assert.ok(table.byLong.has(spec.aliasOf), spec.long);
    }
  });

  const run: [string, string][] = [
    ['attach', 'value -a'], ['cpu-shares', 'value -c'], ['detach', 'switch -d'], ['env', 'value -e'],
    ['hostname', 'value -h'], ['interactive', 'switch -i'], ['label', 'value -l'], ['memory', 'value -m'],
    ['publish', 'value -p'], ['publish-all', 'switch -P'], ['quiet', 'switch -q'], ['tty', 'switch -t'],
    ['user', 'value -u'], ['volume', 'value -v'], ['workdir', 'value -w'], ['help', 'switch'],
    ['rm', 'switch'], ['init', 'switch'], ['privileged', 'switch'], ['read-only', 'switch'], ['sig-proxy', 'switch'],
    ['no-healthcheck', 'switch'], ['oom-kill-disable', 'switch'], ['disable-content-trust', 'switch'],
    ['use-api-socket', 'switch'], ['gpus', 'value'], ['pull', 'value'], ['platform', 'value'], ['ip6', 'value'],
    ['mount', 'value'], ['tmpfs', 'value'], ['network', 'value'], ['net', 'value'], ['kernel-memory', 'value'],
    ['pod', 'value'], ['tls-verify', 'switch'], ['rmi', 'switch'], ['systemd', 'value'],
  ];
  for (const [name, expected] of run) it(`run --${name} is ${expected}`, () => assert.equal(arity(RUN_OPTIONS, name), expected));

  const build: [string, string][] = [
    ['file', 'value -f'], ['tag', 'value -t'], ['output', 'value -o'], ['quiet', 'switch -q'], ['help', 'switch -h'],
    ['memory', 'value -m'], ['cpu-shares', 'value -c'], ['build-arg', 'value'], ['label', 'value'], ['target', 'value'],
    ['platform', 'value'], ['secret', 'value'], ['ssh', 'value'], ['cache-from', 'value'], ['progress', 'value'],
    ['iidfile', 'value'], ['network', 'value'], ['pull', 'switch'], ['no-cache', 'switch'], ['check', 'switch'],
    ['load', 'switch'], ['push', 'switch'], ['rm', 'switch'], ['force-rm', 'switch'], ['squash', 'switch'],
    ['volume', 'value -v'], ['disable-compression', 'switch -D'], ['layers', 'switch'],
  ];
  for (const [name, expected] of build) it(`build --${name} is ${expected}`, () => assert.equal(arity(BUILD_OPTIONS, name), expected));

  it('mark podman-only options', () => {
    assert.equal(optionTable(RUN_OPTIONS).byLong.get('pod')?.by, 'podman');
    assert.equal(optionTable(RUN_OPTIONS).byLong.get('network')?.by, undefined);
  });
});
