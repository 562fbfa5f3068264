// Real bash completion for tests, driven the way readline drives it (see complete-with-bash.sh).
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const DRIVER = fileURLToPath(new URL('complete-with-bash.sh', import.meta.url));

export interface CompletionRun {
  /** What `complete -p berth` printed. */
  readonly spec: string;
  /** The candidates: COMPREPLY, one element each. */
  readonly candidates: readonly string[];
}

export interface CompleteOptions {
  /** Load bash-completion (and through it docker's completion, on demand) first; default true. */
  readonly bashCompletion?: boolean;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Completes `line` (Tab pressed at its end) with the bash completion script in the file `script`. */
export async function completeWithBash(script: string, line: string, options: CompleteOptions = {}): Promise<CompletionRun> {
  const result = await execa('bash', ['--norc', '--noprofile', DRIVER], {
    env: { ...options.env, SCRIPT: script, LINE: line, LOAD_BASH_COMPLETION: options.bashCompletion === false ? '0' : '1' },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    reject: false,
    timeout: 30_000,
  });
  if (result.exitCode !== 0) throw new Error(`bash completion of "${line}" exited ${result.exitCode}: ${result.stderr}`);
  const [spec = '', ...candidates] = result.stdout.split('\n');
  return { spec, candidates: candidates.filter((text) => text !== '') };
}
