import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { isUnreachable, UNREACHABLE_WORDINGS, type EngineResult } from '../../src/edge/engine.js';
import { engineEnv } from '../helpers/engine.js';

// What each CLI printed, captured on this project's test machine; one sample per known wording.
const SAMPLES: Readonly<Record<string, string>> = {
  'Cannot connect to the Docker daemon': 'Cannot connect to the Docker daemon at unix:///nonexistent/x.sock. Is the docker daemon running?\n',
  'error during connect':
    'error during connect: Get "http://nonexistent.invalid:2375/v1.24/networks": dial tcp: lookup nonexistent.invalid on 10.255.255.53:53: no such host\n',
  'unable to connect to Podman':
    'Error: unable to connect to Podman socket: Get "http://d/v4.3.1/libpod/_ping": dial tcp 127.0.0.1:1: connect: connection refused\n',
  'Cannot connect to Podman':
    'Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`, or try `podman machine init` and `podman machine start` to manage a new Linux VM\n',
};

const failed = (stderr: string, exitCode = 1): EngineResult => ({ exitCode, stdout: '', stderr });

describe('isUnreachable', () => {
  for (const { engine, from, text } of UNREACHABLE_WORDINGS) {
    it(`knows "${text}" (${engine}: ${from})`, () => {
      const sample = SAMPLES[text];
      assert.ok(sample, `a sample of "${text}" is listed above`);
      assert.ok(sample.includes(text));
      assert.equal(isUnreachable(failed(sample, engine === 'podman' ? 125 : 1)), true);
      assert.equal(isUnreachable(failed(sample.toUpperCase())), true, 'whatever the case');
    });
  }

  it('is false for an engine that answered, and for any other failure', () => {
    assert.equal(isUnreachable({ exitCode: 0, stdout: '', stderr: SAMPLES['Cannot connect to the Docker daemon'] ?? '' }), false);
    assert.equal(isUnreachable(failed('Error response from daemon: network public6 not found\n')), false);
    assert.equal(isUnreachable(failed('Error: inspecting object: network public6: unable to find network with name or ID public6: network not found\n', 125)), false);
    assert.equal(isUnreachable(failed('')), false);
  });

  // The table against the CLIs installed here, pointed at daemons that are not there.
  const clis: readonly { readonly command: string; readonly args: readonly string[]; readonly env: Record<string, string> }[] = [
    { command: 'docker', args: ['network', 'ls'], env: { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' } },
    { command: '/usr/bin/docker', args: ['network', 'ls'], env: { DOCKER_HOST: 'tcp://nonexistent.invalid:2375' } },
    { command: 'podman', args: ['--remote', '--url', 'unix:///nonexistent/berth-test.sock', 'network', 'ls'], env: engineEnv('podman') },
  ];
  for (const { command, args, env } of clis) {
    it(`recognises what ${command} ${args.join(' ')} says without a daemon`, async () => {
      const result = await execa(command, args, { reject: false, stdin: 'ignore', env, timeout: 30_000 });
      assert.notEqual(result.exitCode, 0);
      assert.equal(isUnreachable({ exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr }), true, result.stderr);
    });
  }
});
