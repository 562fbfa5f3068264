import type { Need } from '../needs/need.js';

/** The text of a need's origin label: the Dockerfile's base name and line, and the image tag when known. */
export function declaredAt(need: Need, tag?: string): string | undefined {
  if (need.origin.source !== 'dockerfile') return undefined;
  const file = need.origin.at.file.split(/[\\/]/).at(-1) ?? need.origin.at.file;
  const place = `${file}:${need.origin.at.line}`;
  return tag === undefined ? place : `${tag} ${place}`;
}
