import picomatch from 'picomatch';
import type { ImageIdentity } from './resolution.js';

/** The forms of the image reference that `images` patterns are matched against. */
export function imageNames(image: ImageIdentity): string[] {
  const names = [image.ref, ...image.digests];
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

function hasTagOrDigest(ref: string): boolean {
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  return lastPart.includes(':') || lastPart.includes('@');
}
