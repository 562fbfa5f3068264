import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as berth from '../../src/index.js';

describe('library entry point', () => {
  it('turns an extended Dockerfile into labels and back', () => {
    const text = 'FROM scratch\nADDRESS webserver\nNEED volume webpages /www\n';
    const analysis = berth.analyseDockerfile(text, { file: 'Dockerfile' });
    assert.deepEqual(analysis.problems, []);
    assert.equal(berth.stripStatements(text, analysis.split, analysis.statements), 'FROM scratch\n\n\n');
    const decoded = berth.decodeLabels(berth.encodeLabels(analysis.needs));
    assert.deepEqual(decoded.needs.map((n) => berth.needId(n)), ['address.webserver', 'volume.webpages']);
  });

  it('reports the version package.json gives', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(berth.VERSION, pkg.version);
  });
});
