import { isName } from '../needs/grammar.js';

// A host with more networks than this is not asked about them early: most would not be needed.
const MAX_NAMES = 4;

/**
 * The keys directly under a host file's top-level `networks:` block, read by indentation only,
 * before the YAML parser has loaded: a hint of which networks to ask the engine about early.
 * The parsed file decides which answers are used. None when there are more than a few.
 */
export function networkNamesHint(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^networks:\s*(#.*)?$/.test(line));
  if (start < 0) return [];
  const names: string[] = [];
  let indent: number | undefined;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const depth = line.length - line.trimStart().length;
    if (depth === 0) break;
    indent ??= depth;
    const key = /^\s*([^\s:#]+)\s*:/.exec(line)?.[1];
    if (depth === indent && key !== undefined && isName(key)) names.push(key);
  }
  return names.length > MAX_NAMES ? [] : names;
}
