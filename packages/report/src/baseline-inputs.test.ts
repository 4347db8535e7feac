import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBaselineInput, isModelInput } from './baseline-inputs.ts';

test('baselines are every input computed from the data alone; similarity matrices depend on the model', () => {
  for (const input of ['raw', 'pca', 'autoencoder', 'resnet152', 'my-features']) assert.equal(isBaselineInput(input), true, input);
  for (const input of ['relative', 'kernelized', 'ntk', 'ntk-infinite', 'activation-cosine', 'kernelized-normalized', 'ntk-normalized']) {
    assert.equal(isModelInput(input), true, input);
    assert.equal(isBaselineInput(input), false, input);
  }
  assert.equal(isModelInput('pca-normalized'), false, 'only similarity sources are normalised');
});
