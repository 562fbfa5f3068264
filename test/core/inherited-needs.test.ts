import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argsBeforeFrom, expandBase, inheritedNeeds } from '../../src/core/inherited-needs.js';
import { splitDockerfile } from '../../src/core/dockerfile/split.js';
import { needKind } from '../../src/core/needs/kinds/index.js';

const own = (kind: string, ...args: string[]) => {
  const parsed = needKind(kind)?.parse(args, { source: 'label', key: 'k' });
  assert.ok(parsed?.ok);
  return parsed.need;
};

describe('inheritedNeeds', () => {
  const labels = {
    'berth.schema': '1',
    'berth.need.volume.secrets': '["volume","secrets","/s"]',
    'berth.origin.volume.secrets': 'Dockerfile:2',
    'berth.need.network.front': '["network","front"]',
  };

  it('lists every need of the base, warns about those the Dockerfile lacks, and names the base as their origin', () => {
    const found = inheritedNeeds('example/base:1', labels, [], [own('network', 'front')]);
    assert.deepEqual(found.notes, [
      'base image example/base:1 also needs network front; the Dockerfile\'s own statement wins',
      'inherits NEED volume secrets /s from base image example/base:1',
    ]);
    assert.deepEqual(found.warnings, ['need volume secrets /s comes from base image example/base:1, not from this Dockerfile (declare it here, or build from a base without it)']);
    assert.deepEqual(found.originLabels, { 'berth.origin.volume.secrets': 'inherited from example/base:1' });
  });

  it('warns about ONBUILD LABEL triggers that set berth labels, and rewrites their origins too', () => {
    const found = inheritedNeeds('b', {}, ['LABEL berth.need.network.sneaky=\'["network","sneaky"]\'', 'RUN true'], []);
    assert.equal(found.warnings.length, 1);
    assert.match(found.warnings[0] ?? '', /sets berth labels in the built image through ONBUILD LABEL/);
    assert.deepEqual(found.originLabels, { 'berth.origin.network.sneaky': 'inherited from b (ONBUILD)' });
  });

  it('says nothing for a base without berth labels, and escapes what a hostile base shows', () => {
    assert.deepEqual(inheritedNeeds('b', { other: 'x' }, [], []), { notes: [], warnings: [], originLabels: {} });
    const hostile = inheritedNeeds('b', { 'berth.schema': '1', 'berth.need.volume.\u001b[2J': '["volume","x","/x"]' }, [], []);
    assert.doesNotMatch(hostile.warnings.join('\n'), /\u001b/);
  });
});

describe('expandBase', () => {
  it('fills in --build-arg values, then ARG defaults before the first FROM', () => {
    const file = 'ARG BASE=example/base:1\nARG TAG="2"\nFROM ${BASE}\nARG LATE=x\n';
    assert.equal(expandBase('${BASE}', [], file), 'example/base:1');
    assert.equal(expandBase('$BASE', ['BASE=other:3'], file), 'other:3');
    assert.equal(expandBase('img:${TAG}', [], file), 'img:2');
    assert.equal(expandBase('img:$LATE', [], file), undefined);
    assert.equal(expandBase('plain:1', [], file), 'plain:1');
  });

  it('reads the ARGs before the first FROM as BuildKit splits them: continuations, comments, escape', () => {
    const file = '# escape=`\nARG BASE=`\n# a comment inside\n  example/base:7\nRUN x\nFROM ${BASE}\nARG LATE=y\n';
    const args = argsBeforeFrom(splitDockerfile(file));
    assert.equal(args, 'ARG BASE=  example/base:7');
    assert.equal(expandBase('${BASE}', [], 'ARG BASE=example/base:7'), 'example/base:7');
    assert.equal(expandBase('$LATE', [], args), undefined);
  });
});
