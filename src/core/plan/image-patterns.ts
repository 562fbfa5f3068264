import picomatch from 'picomatch';
import type { ImageIdentity } from './resolution.js';

/** The forms of the image reference that `images` patterns are matched against. */
export function imageNames(image: ImageIdentity): string[] {
  if (image.tags !== undefined) return [...image.tags, ...(image.aliases ?? []), ...image.digests];
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

/** The short names podman also accepts for its `localhost/` tags: `localhost/web:1` is `web:1`. */
export function podmanShortNames(repoTags: readonly string[]): string[] {
  return repoTags.flatMap((tag) => {
    const short = tag.startsWith('localhost/') ? tag.slice('localhost/'.length) : undefined;
    return short !== undefined && isShortName(short) ? [short] : [];
  });
}

/** `NAME:TAG` of a reference that carries both a tag and a digest (`NAME:TAG@sha256:...`), which engines resolve by the digest alone. */
export function tagBesideDigest(ref: string): string | undefined {
  const at = ref.indexOf('@');
  if (at < 0) return undefined;
  const named = ref.slice(0, at);
  return named.slice(named.lastIndexOf('/') + 1).includes(':') ? named : undefined;
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
