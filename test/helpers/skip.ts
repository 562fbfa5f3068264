// Whether a test may be skipped, and saying why. Outside CI a test whose prerequisite is missing
// (an engine, root, the BuildKit corpus) is skipped with its reason, printed once to stderr
// besides node:test's own "# SKIP reason". Under CI=true nothing may skip: the prerequisite's
// absence fails the run, loudly, with the same reason.

/** True under CI (`CI=true`, as CI services set it). */
export function underCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

const said = new Set<string>();

/**
 * A node:test `skip` value: false when `reason` is undefined; otherwise `reason`, printed.
 * Under CI it throws instead, so a missing prerequisite fails the suite that asked.
 */
export function skipFor(reason: string | undefined): false | string {
  if (reason === undefined) return false;
  if (underCi()) throw new Error(`${reason}; under CI=true no test may be skipped`);
  if (!said.has(reason)) {
    said.add(reason);
    process.stderr.write(`skipped: ${reason}\n`);
  }
  return reason;
}
