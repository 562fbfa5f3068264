import picomatch from 'picomatch';
import type { ImageIdentity } from './resolution.js';

/** The forms of the image reference that `images` patterns are matched against. */
export function imageNames(image: ImageIdentity): string[] {
  const names = [image.ref, ...(image.aliases ?? []), ...image.digests];
  if (!hasTagOrDigest(image.ref)) names.push(`${image.ref}:latest`);
  return names;
}

/** True when a host entry's `images` patterns let this image claim it (absent patterns: any image). */
export function imageAllowed(patterns: readonly string[] | undefined, image: ImageIdentity): boolean {
  if (patterns === undefined) return true;
  const names = imageNames(image);
  return patterns.some((pattern) => {
    const matches = picomatch(pattern, { dot: true, nonegate: true });
    return names.some((name) => matches(name));
  });
}

/**
 * The other name podman gives a local image: it stores `web:1` as `localhost/web:1` and looks
 * there first for the short name, so the two name one image when the image carries that tag.
 * Only short names qualify: `localhost/registry.example.com/web` is no alias of a registry's image.
 */
export function podmanLocalAliases(ref: string, repoTags: readonly string[]): string[] {
  if (ref.includes('@')) return [];
  const tagged = hasTagOrDigest(ref) ? ref : `${ref}:latest`;
  const local = tagged.startsWith('localhost/') ? tagged : `localhost/${tagged}`;
  const short = local.slice('localhost/'.length);
  if (!isShortName(short) || !repoTags.includes(local)) return [];
  return [tagged === local ? short : local];
}

// A reference without a registry part: its first component has no `.` or `:` and is not localhost.
function isShortName(ref: string): boolean {
  const slash = ref.indexOf('/');
  if (slash < 0) return true;
  const first = ref.slice(0, slash);
  return first !== 'localhost' && !first.includes('.') && !first.includes(':');
}

function hasTagOrDigest(ref: string): boolean {
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  return lastPart.includes(':') || lastPart.includes('@');
}
