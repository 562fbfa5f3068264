import { doctorChecks, doctorPassed, type Check } from '../../core/doctor/checks.js';
import { gatherDoctorFacts } from '../../edge/doctor-facts.js';
import { selectEngine } from '../../edge/engine.js';
import { hostConfigPath } from '../../edge/host-file.js';
import { runningChecks, skippedRunningChecks } from '../../core/doctor/running-checks.js';
import { planHost } from '../../run/reconcile.js';
import type { Output } from '../output.js';

export interface DoctorOptions {
  readonly hostConfig?: string;
  readonly engine?: string;
}

const SYMBOLS: Readonly<Record<'true' | 'false' | 'skipped', string>> = { true: '✓', false: '✗', skipped: '-' };
/** Titles longer than this do not widen the column for all the others. */
const MAX_TITLE = 40;

/** `berth doctor`: tells a host's admin, before any `berth run`, what on this host would make it fail and how to fix it. */
export async function doctorCommand(options: DoctorOptions, output: Output): Promise<number> {
  const engine = selectEngine(options.engine);
  const facts = await gatherDoctorFacts(engine, hostConfigPath(options.hostConfig));
  const checks = doctorChecks(facts);
  // The containers berth started, once the host file and the engine can be read.
  if (facts.host.state === 'valid' && facts.engine.state === 'reachable') {
    const { views, plan } = await planHost(engine, hostConfigPath(options.hostConfig), facts.host.config);
    checks.push(...runningChecks(views, plan));
  } else {
    checks.push(...skippedRunningChecks(facts.host.state === 'valid' ? 'the engine is not reachable' : `the host file is ${facts.host.state}`));
  }
  output.stdout(formatChecks(checks));
  return doctorPassed(checks) ? 0 : 1;
}

/** The checks as aligned lines (symbol, title, detail; fixes and further lines under the detail) and a summary. */
export function formatChecks(checks: readonly Check[]): string {
  const width = Math.min(MAX_TITLE, Math.max(0, ...checks.map((check) => check.title.length)));
  const indent = ' '.repeat(width + 4);
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${SYMBOLS[String(check.ok) as keyof typeof SYMBOLS]} ${check.title.padEnd(width)}  ${check.detail ?? ''}`.trimEnd());
    for (const line of check.lines ?? []) lines.push(`${indent}${line}`);
    if (check.ok === false && check.fix !== undefined) lines.push(`${indent}fix: ${check.fix}`);
  }
  const failed = checks.filter((check) => check.ok === false).length;
  const skipped = checks.filter((check) => check.ok === 'skipped').length;
  const skippedText = skipped === 0 ? '' : `, ${skipped} skipped`;
  lines.push(
    '',
    failed === 0
      ? `✓ ${checks.length - skipped} of ${checks.length} checks passed${skippedText}`
      : `✗ ${failed} of ${checks.length} checks failed${skippedText}`,
  );
  return `${lines.join('\n')}\n`;
}
