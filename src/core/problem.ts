/** Where a problem, or a need, was found: a position in a file. Lines and columns are 1-based. */
export interface Position {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Severity = 'error' | 'warning';

/** One finding about user input, reported like a compiler diagnostic. */
export interface Problem extends Position {
  readonly severity: Severity;
  /** Stable identifier, e.g. `statement.unknown-kind`; tests treat it as a contract. */
  readonly code: string;
  readonly message: string;
}

export function error(at: Position, code: string, message: string): Problem {
  return { ...at, severity: 'error', code, message };
}

export function warning(at: Position, code: string, message: string): Problem {
  return { ...at, severity: 'warning', code, message };
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}

export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

/** `FILE:LINE:COL: error: MESSAGE`, one line per problem, sorted by position. */
export function formatProblems(problems: readonly Problem[]): string {
  return sortProblems(problems)
    .map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`)
    .join('\n');
}
