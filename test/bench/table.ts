// The benchmark's report: each figure beside its baseline, as a difference and a ratio, and the target it meets.
import { table } from '../../src/core/needs/describe.js';

export interface Target {
  /** In words, as the README's performance table puts it. */
  readonly text: string;
  readonly met: boolean;
}

export interface Figure {
  readonly what: string;
  readonly berthMs: number;
  readonly baseline: string;
  readonly baselineMs: number;
  /** Absent for figures recorded without a target. */
  readonly target?: Target;
}

export function formatFigures(figures: readonly Figure[]): string {
  const rows = [['MEASURE', 'BERTH', 'BASELINE', '', 'DIFF', 'RATIO', 'TARGET', 'MET']];
  for (const figure of figures) {
    const diff = figure.berthMs - figure.baselineMs;
    rows.push([
      figure.what,
      ms(figure.berthMs),
      figure.baseline,
      ms(figure.baselineMs),
      `${diff >= 0 ? '+' : '-'}${ms(Math.abs(diff))}`,
      `${(figure.berthMs / figure.baselineMs).toFixed(2)}x`,
      figure.target?.text ?? '-',
      figure.target === undefined ? '-' : figure.target.met ? 'yes' : 'NO',
    ]);
  }
  return table(rows);
}

/** All targets met (figures without one do not count). */
export function allMet(figures: readonly Figure[]): boolean {
  return figures.every((figure) => figure.target === undefined || figure.target.met);
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}
