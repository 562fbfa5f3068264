import { spawn } from 'node:child_process';
import type { Engine } from './engine.js';

/** What `berth --version` says about the engine: its CLI's version and, when it answers, the engine's. */
export type EngineVersion =
  | { readonly found: false }
  | { readonly found: true; readonly client: string; readonly server?: string; readonly answers: boolean };

/** Seconds `berth --version` waits for an engine that does not answer. */
const VERSION_TIMEOUT_MS = 5_000;

/**
 * Asks the engine CLI for its versions; never throws. A daemon that does not answer (docker exits
 * non-zero but still prints its client's version) gives `answers: false`, not an error.
 */
export async function engineVersion(engine: Engine): Promise<EngineVersion> {
  // Podman without a remote connection is its own engine: its client version is the engine's.
  const format = engine.name === 'podman' ? '{{.Client.Version}}|' : '{{.Client.Version}}|{{if .Server}}{{.Server.Version}}{{end}}';
  const result = await call(engine.command, ['version', '--format', format]);
  if (result === undefined) return { found: false };
  const [client = '', server = ''] = result.stdout.trim().split('\n')[0]?.split('|') ?? [];
  const answers = result.exitCode === 0;
  return {
    found: true,
    client: client.trim(),
    ...(server.trim() === '' ? {} : { server: server.trim() }),
    answers,
  };
}

function call(command: string, args: readonly string[]): Promise<{ exitCode: number; stdout: string } | undefined> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: VERSION_TIMEOUT_MS });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', () => {
      if (child.pid === undefined) resolve(undefined);
    });
    child.once('close', (code) => resolve({ exitCode: code ?? 1, stdout }));
  });
}
