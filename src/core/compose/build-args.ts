// The options of `compose build` that docker build has too, for the services berth builds.
export function dockerBuildOptions(args: readonly string[]): string[] {
  const options: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--no-cache' || arg === '--pull') options.push(arg);
    else if (arg === '-q' || arg === '--quiet') options.push('-q');
    else if (arg === '--build-arg' && args[i + 1] !== undefined) options.push(arg, args[(i += 1)] ?? '');
    else if (arg.startsWith('--build-arg=')) options.push(arg);
  }
  return options;
}

// The services `compose build` was asked for: its arguments that are not options or their values.
export function buildServices(args: readonly string[]): string[] {
  const valued = new Set(['--build-arg', '-m', '--memory', '--progress', '--ssh', '--builder']);
  const names: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (valued.has(arg)) i += 1;
    else if (!arg.startsWith('-')) names.push(arg);
  }
  return names;
}
