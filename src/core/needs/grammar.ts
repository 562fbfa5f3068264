import { codePointName, firstUnprintable, printable } from '../printable.js';

/** NAME: how images and the host file name networks, addresses and volumes; the one copy of the rule. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isName(text: string): boolean {
  return NAME_PATTERN.test(text);
}

/** Why `text` is not a NAME, for messages. */
export function nameProblem(text: string, what: string): string | undefined {
  if (isName(text)) return undefined;
  if (text.length === 0) return `${what} is empty`;
  if (text.length > 64) return `${what} "${clip(text)}" is longer than 64 characters`;
  return `${what} "${clip(text)}" is not a valid name (letters, digits, "_", "." and "-", starting with a letter or digit)`;
}

// Characters that could smuggle a mount option, or that docker's CSV `--mount` cannot carry
// (a bare `"`): never part of a TARGET. Unprintable characters are refused as well.
const TARGET_FORBIDDEN = /[,:="]/;

/** Why `text` is not an absolute, normalised container path berth may mount at, if it is not. */
export function targetProblem(text: string): string | undefined {
  if (!text.startsWith('/')) return `target "${clip(text)}" is not an absolute path (start it with "/")`;
  if (text === '/') return 'target "/" would hide the whole container file system; mount at a directory below it';
  if (text.length > 4096) return 'target is longer than 4096 characters';
  const bad = TARGET_FORBIDDEN.exec(text)?.[0] ?? firstUnprintable(text);
  if (bad) return `target "${clip(text)}" contains ${describeChar(bad)}, which a mount target may not contain`;
  if (/\s$/.test(text)) return `target "${clip(text)}" ends with a space, which docker's --mount would drop; write it without`;
  if (text.endsWith('/')) return `target "${clip(text)}" ends with "/"; write it without`;
  const segments = text.slice(1).split('/');
  if (segments.includes('')) return `target "${clip(text)}" contains "//"; write it normalised`;
  if (segments.some((s) => s === '.' || s === '..')) {
    return `target "${clip(text)}" contains "." or ".." segments; write it normalised`;
  }
  return undefined;
}

function describeChar(char: string): string {
  if (char === '\n') return 'a newline';
  if (firstUnprintable(char) !== undefined) return `a control or format character (${codePointName(char)})`;
  return `"${char}"`;
}

/** Shortens untrusted text for a message and makes control characters visible. */
export function clip(text: string, max = 80): string {
  return printable(text, max);
}
