import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageAllowed, podmanShortNames, tagBesideDigest } from '../../../src/core/plan/image-patterns.js';

describe('imageAllowed with the image\'s own tags', () => {
  it('matches patterns against the tags and digests the engine records, not the reference typed', () => {
    const unrelated = { ref: 'allowed:1@sha256:abc', tags: ['other:3'], digests: ['other@sha256:abc'] };
    assert.equal(imageAllowed(['allowed:*'], unrelated), false);
    assert.equal(imageAllowed(['other:*'], unrelated), true);
    assert.equal(imageAllowed(['other@sha256:*'], unrelated), true);
    // An image with no tags and no digests can claim nothing restricted, whatever it was called.
    assert.equal(imageAllowed(['*'], { ref: 'allowed:1', tags: [], digests: [] }), false);
    assert.equal(imageAllowed(undefined, { ref: 'x', tags: [], digests: [] }), true);
  });

  it('knows podman\'s short names for its localhost/ tags, and only for short names', () => {
    assert.deepEqual(podmanShortNames(['localhost/web:1', 'localhost/registry.example.com/web:1', 'quay.io/x:2']), ['web:1']);
    assert.equal(imageAllowed(['web:*'], { ref: 'web:1', tags: ['localhost/web:1'], aliases: podmanShortNames(['localhost/web:1']), digests: [] }), true);
  });
});

describe('tagBesideDigest', () => {
  it('finds NAME:TAG in a reference that also carries a digest', () => {
    assert.equal(tagBesideDigest('web:1@sha256:abc'), 'web:1');
    assert.equal(tagBesideDigest('registry.example.com:5000/web:1@sha256:abc'), 'registry.example.com:5000/web:1');
    assert.equal(tagBesideDigest('registry.example.com:5000/web@sha256:abc'), undefined);
    assert.equal(tagBesideDigest('web:1'), undefined);
    assert.equal(tagBesideDigest('web@sha256:abc'), undefined);
  });
});
