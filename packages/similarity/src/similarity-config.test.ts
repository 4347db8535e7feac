import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { parseSimilarityConfig } from './similarity-config.ts';

test('defaults apply to a missing or empty section', () => {
  const autoencoder = { epochs: 20, batchSize: 100, learningRate: 1e-3, weightDecay: 1e-5, seed: 0, trainOn: 'all' };
  const rest = { autoencoder, features: {}, activationFrom: 'trained', neighbours: { k: 0, of: ['relative', 'kernelized'] }, memoryMb: 4096 };
  const expected = { use: ['relative', 'kernelized', 'ntk'], baselines: ['raw', 'pca'], pcaComponents: 100, ...rest };
  assert.deepEqual(parseSimilarityConfig(undefined, 'p.json'), expected);
  assert.deepEqual(parseSimilarityConfig({}, 'p.json'), expected);
  assert.deepEqual(parseSimilarityConfig({ use: ['ntk'], baselines: [], pcaComponents: 5 }, 'p.json'), { use: ['ntk'], baselines: [], pcaComponents: 5, ...rest });
});

test('every similarity of the paper, normalised kernels, baselines and user features', () => {
  const c = parseSimilarityConfig({
    use: ['relative', 'kernelized', 'ntk', 'ntk-infinite', 'activation-cosine', 'ntk-normalized', 'kernelized-normalized', 'ntk-infinite-normalized'],
    baselines: ['raw', 'pca', 'autoencoder'],
    autoencoder: { epochs: 3, batchSize: 50, learningRate: 0.01, weightDecay: 0, seed: 4, trainOn: 'primary' },
    features: { resnet152: '../features/resnet152.arrow' },
    activationFrom: 'init',
  }, 'p.json');
  assert.equal(c.use.length, 8);
  assert.deepEqual(c.autoencoder, { epochs: 3, batchSize: 50, learningRate: 0.01, weightDecay: 0, seed: 4, trainOn: 'primary' });
  assert.deepEqual(c.features, { resnet152: '../features/resnet152.arrow' });
  assert.equal(c.activationFrom, 'init');
  // Neighbours alone are something to do; `of` defaults to both probe matrices.
  assert.deepEqual(parseSimilarityConfig({ use: [], baselines: [], neighbours: { k: 5 } }, 'p.json').neighbours, { k: 5, of: ['relative', 'kernelized'] });
  assert.deepEqual(parseSimilarityConfig({ neighbours: { k: 1, of: ['kernelized'] } }, 'p.json').neighbours, { k: 1, of: ['kernelized'] });
  // Features alone are something to do.
  assert.deepEqual(parseSimilarityConfig({ use: [], baselines: [], features: { f: 'f.arrow' } }, 'p.json').features, { f: 'f.arrow' });
});

test('bad keys and values name the file and the field', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ usee: [] }, /p\.json: similarity\.usee: unknown key/],
    [{ use: ['relative', 'cosine'] }, /similarity\.use\[1\]: "cosine" is not one of relative, kernelized, ntk/],
    [{ use: 'ntk' }, /similarity\.use: must be a list/],
    [{ use: ['ntk', 'ntk'] }, /similarity\.use\[1\]: "ntk" is listed twice/],
    [{ baselines: ['resnet'] }, /similarity\.baselines\[0\]: "resnet" is not one of raw, pca, autoencoder/],
    [{ use: ['relative-normalized'] }, /similarity\.use\[0\]: "relative-normalized" is not one of/],
    [{ use: ['activation-cosine-normalized'] }, /similarity\.use\[0\]/],
    [{ autoencoder: { epochs: 0 } }, /similarity\.autoencoder\.epochs: must be a positive integer, got 0/],
    [{ autoencoder: { lr: 0.1 } }, /similarity\.autoencoder\.lr: unknown key/],
    [{ autoencoder: { learningRate: 0 } }, /similarity\.autoencoder\.learningRate: must be a positive number/],
    [{ autoencoder: { weightDecay: -1 } }, /similarity\.autoencoder\.weightDecay: must be a non-negative number/],
    [{ autoencoder: { trainOn: 'aux' } }, /similarity\.autoencoder\.trainOn: must be one of all, primary/],
    [{ autoencoder: 3 }, /similarity\.autoencoder: must be an object/],
    [{ features: ['a.arrow'] }, /similarity\.features: must be an object/],
    [{ features: { 'bad/name': 'a.arrow' } }, /similarity\.features\.bad\/name: name must be letters/],
    [{ features: { f: 3 } }, /similarity\.features\.f: must be the path of an Arrow file/],
    [{ features: { pca: 'p.arrow' } }, /similarity\.features\.pca: "pca" is already an output/],
    [{ activationFrom: 'final' }, /similarity\.activationFrom: must be one of trained, init/],
    [{ pcaComponents: 0 }, /similarity\.pcaComponents: must be a positive integer/],
    [{ pcaComponents: 2.5 }, /similarity\.pcaComponents/],
    [{ use: [], baselines: [] }, /nothing to do/],
    [{ use: [], baselines: [], neighbours: { k: 0 } }, /nothing to do/],
    [{ neighbours: { k: -1 } }, /similarity\.neighbours\.k: must be an integer >= 0, got -1/],
    [{ neighbours: { k: 1.5 } }, /similarity\.neighbours\.k/],
    [{ neighbours: { k: 3, of: [] } }, /similarity\.neighbours\.of: name at least one probe matrix to rank/],
    [{ neighbours: { k: 3, of: ['ntk'] } }, /similarity\.neighbours\.of\[0\]: "ntk" is not one of relative, kernelized/],
    [{ neighbours: { n: 3 } }, /similarity\.neighbours\.n: unknown key/],
    [[1], /similarity: must be an object/],
  ];
  for (const [section, re] of bad) {
    assert.throws(() => parseSimilarityConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && re.test(e.message), JSON.stringify(section));
  }
});

test('schema messages: closest key, type, range and allowed values at the JSON path', () => {
  const says = (section: unknown, message: string) =>
    assert.throws(() => parseSimilarityConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && e.file === 'p.json' && e.message === `p.json: ${message}`, message);
  says({ baseline: ['raw'] }, 'similarity.baseline: unknown key (did you mean "baselines"?); allowed: use, baselines, pcaComponents, autoencoder, features, activationFrom, neighbours, memoryMb');
  says({ memoryMb: 0.5 }, 'similarity.memoryMb: must be a number >= 1, got 0.5');
  says({ autoencoder: { epoch: 3 } }, 'similarity.autoencoder.epoch: unknown key (did you mean "epochs"?); allowed: epochs, batchSize, learningRate, weightDecay, seed, trainOn');
  says({ pcaComponents: '10' }, 'similarity.pcaComponents: must be a positive integer, got "10"');
  says({ autoencoder: { batchSize: 0 } }, 'similarity.autoencoder.batchSize: must be a positive integer, got 0');
  says({ autoencoder: { seed: -1 } }, 'similarity.autoencoder.seed: must be an integer >= 0, got -1');
  says({ activationFrom: 'final' }, 'similarity.activationFrom: must be one of trained, init, got "final"');
  says({ use: ['kernelised'] }, 'similarity.use[0]: "kernelised" is not one of relative, kernelized, ntk, ntk-infinite, activation-cosine, kernelized-normalized, ntk-normalized, ntk-infinite-normalized (did you mean "kernelized"?)');
  says({ features: 'f.arrow' }, 'similarity.features: must be an object { name: "path/to/features.arrow" }, got "f.arrow"');
  // Defaults fill a partly given autoencoder.
  assert.deepEqual(parseSimilarityConfig({ autoencoder: { epochs: 2 } }, 'p.json').autoencoder,
    { epochs: 2, batchSize: 100, learningRate: 1e-3, weightDecay: 1e-5, seed: 0, trainOn: 'all' });
});
