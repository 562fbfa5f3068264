import { kindOf } from './kinds/index.js';
import { needName, type Need } from './need.js';

/** A need as plain data, for `--json` output. */
export function needToJson(need: Need): Record<string, unknown> {
  const origin = need.origin.source === 'label'
    ? { label: need.origin.key, ...(need.origin.declaredAt === undefined ? {} : { declaredAt: need.origin.declaredAt }) }
    : { file: need.origin.at.file, line: need.origin.at.line, stage: need.origin.stage };
  return { ...kindOf(need).json(need), ...origin };
}

/** The details column of a need: what it asks for beyond its name. */
export function needDetails(need: Need): string {
  return kindOf(need).details(need);
}

/** Where a need came from, for people. */
export function needSource(need: Need): string {
  if (need.origin.source === 'dockerfile') return `${need.origin.at.file}:${need.origin.at.line} (stage ${need.origin.stage})`;
  return need.origin.declaredAt ?? need.origin.key;
}

/** Lays rows out in aligned columns. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

export function needRow(need: Need): string[] {
  return [need.kind, needName(need), needDetails(need), needSource(need)];
}
