// Changes to this process's environment that a test undoes; the engine CLI that code under test
// starts inherits them.
/** Sets `vars` in `process.env`; returns the function that puts the old values back. */
export function withEnv(vars: Readonly<Record<string, string>>): () => void {
  const old = Object.keys(vars).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, vars);
  return () => {
    for (const [key, value] of old) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
