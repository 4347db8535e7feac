import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { parseSimilarityConfig } from './similarity-config.ts';

test('defaults apply to a missing or empty section', () => {
  const expected = { use: ['relative', 'kernelized', 'ntk'], baselines: ['raw', 'pca'], pcaComponents: 100 };
  assert.deepEqual(parseSimilarityConfig(undefined, 'p.json'), expected);
  assert.deepEqual(parseSimilarityConfig({}, 'p.json'), expected);
  assert.deepEqual(parseSimilarityConfig({ use: ['ntk'], baselines: [], pcaComponents: 5 }, 'p.json'), { use: ['ntk'], baselines: [], pcaComponents: 5 });
});

test('bad keys and values name the file and the field', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ usee: [] }, /p\.json: similarity\.usee: unknown key/],
    [{ use: ['relative', 'cosine'] }, /similarity\.use\[1\]: "cosine" is not one of relative, kernelized, ntk/],
    [{ use: 'ntk' }, /similarity\.use: must be a list/],
    [{ use: ['ntk', 'ntk'] }, /similarity\.use\[1\]: "ntk" is listed twice/],
    [{ baselines: ['autoencoder'] }, /similarity\.baselines\[0\]/],
    [{ pcaComponents: 0 }, /similarity\.pcaComponents: must be a positive integer/],
    [{ pcaComponents: 2.5 }, /similarity\.pcaComponents/],
    [{ use: [], baselines: [] }, /nothing to do/],
    [[1], /similarity: must be an object/],
  ];
  for (const [section, re] of bad) {
    assert.throws(() => parseSimilarityConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && re.test(e.message), JSON.stringify(section));
  }
});
