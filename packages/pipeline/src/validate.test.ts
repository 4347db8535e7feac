import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ElasticityError } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { readMnistSample } from '@elasticity/datasets';
import { MNIST_SAMPLE_DIGIT_COUNTS } from './data-counts.ts';
import { readPipeline } from './read-pipeline.ts';
import { validatePipeline } from './validate.ts';

/** A small valid pipeline; each test breaks one thing. */
const BASE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10, testPerClass: 5 },
  train: { width: 8, epochs: 1 },
  probe: {},
  ntk: {},
  similarity: { use: ['relative', 'kernelized', 'ntk'], baselines: ['raw'] },
  cluster: { k: 2, methods: [{ input: 'raw', method: 'kmeans' }, { input: 'relative', method: 'kmeans' }] },
  report: {},
};

/** Writes pipelines/p.json in a fresh folder, runs `work` on it (and the folder), then removes the folder. */
function withPipelineFile<T>(body: object, work: (file: string, root: string) => Promise<T>): Promise<T> {
  return withTempDir('validate-', async (root) => {
    await mkdir(join(root, 'pipelines'));
    const file = join(root, 'pipelines', 'p.json');
    await writeFile(file, JSON.stringify(body));
    return work(file, root);
  });
}

/** validatePipeline throws one ElasticityError naming the pipeline file and `field`, whose message matches `words`. */
function refused(body: object, field: string, words: RegExp): Promise<string> {
  return withPipelineFile(body, async (file) => {
    let message = '';
    assert.throws(() => validatePipeline(readPipeline(file)), (e: unknown) => {
      assert.ok(e instanceof ElasticityError, String(e));
      assert.equal(e.file, file);
      assert.equal(e.field, field);
      assert.ok(e.message.startsWith(`${file}: ${field}: `), e.message);
      assert.match(e.message, words);
      assert.doesNotMatch(e.message, /\n/);
      message = e.message;
      return true;
    });
    return message;
  });
}

function accepted(body: object): Promise<void> {
  return withPipelineFile(body, async (file) => {
    validatePipeline(readPipeline(file));
  });
}

test('the base pipeline of these tests is valid', async () => {
  await accepted(BASE);
});

test('probe, ntk or activation-cosine without a train section are refused at validation (they would read a stale model)', async () => {
  const { train: _train, ...untrained } = BASE;
  await refused(untrained, 'probe', /reads a trained model, but the pipeline has no "train" section/);
  const { probe: _probe, ...ntkOnly } = untrained;
  await refused({ ...ntkOnly, similarity: { use: ['ntk'], baselines: ['raw'] }, cluster: { methods: [{ input: 'raw', method: 'kmeans' }] } }, 'ntk', /no "train" section/);
  await refused({ dataset: BASE.dataset, similarity: { use: ['activation-cosine'], baselines: [] } }, 'similarity.use[0]', /"activation-cosine" reads a trained model, but the pipeline has no "train" section/);
  // Without any model-reading stage, no train section is needed.
  await accepted({ dataset: BASE.dataset, similarity: { use: [], baselines: ['raw', 'pca'] }, cluster: { methods: [{ input: 'pca', method: 'kmeans' }] } });
});

test('a probe or NTK of a checkpoint ("epoch-K") needs the train section to save it, within its epochs', async () => {
  await refused({ ...BASE, probe: { from: 'epoch-1' } }, 'probe.from', /"epoch-1" reads the checkpoint after epoch 1, which the train section does not save: add 1 to train\.checkpoints \(now \[\]\)/);
  await refused({ ...BASE, train: { ...BASE.train, checkpoints: [0] }, ntk: { from: 'epoch-2' } }, 'ntk.from', /after the last epoch of training \(train\.epochs 1\)/);
  await refused({ ...BASE, train: { ...BASE.train, checkpoints: [2] } }, 'train.checkpoints[0]', /epoch 2 is after the last epoch \(1\)/);
  await refused({ ...BASE, probe: { from: 'epoch1' } }, 'probe.from', /must be "trained", "init" or "epoch-K"/);
  await accepted({ ...BASE, train: { ...BASE.train, checkpoints: [1, 0] }, probe: { from: 'epoch-0' }, ntk: { from: 'epoch-1' } });
  await accepted({ ...BASE, train: { ...BASE.train, epochs: 4, checkpointEvery: 2 }, probe: { from: 'epoch-4' } });
});

test('a similarity built from a stage the pipeline does not run (or a kind it does not write) is refused', async () => {
  const { probe: _probe, ...noProbe } = BASE;
  await refused(noProbe, 'similarity.use[0]', /"relative" is built from the probe stage's relative\.arrow, but the pipeline has no "probe" section/);
  await refused({ ...BASE, probe: { kinds: ['relative'] } }, 'similarity.use[1]', /probe\.kinds is \["relative"\]: add "kernelized"/);
  await refused({ ...BASE, probe: { probed: 'all' } }, 'similarity.use[0]', /probes over the primary examples/);
  await refused({ ...BASE, similarity: { use: ['ntk-infinite-normalized'] } }, 'similarity.use[0]', /needs ntk\.kind "infinite"/);
  await refused({ ...BASE, ntk: { mode: 'diagonal' } }, 'similarity.use[2]', /"ntk" needs the whole kernel, but ntk\.mode "diagonal" writes only its diagonal/);
  await accepted({ ...BASE, ntk: { kind: ['empirical', 'infinite'] }, similarity: { use: ['ntk-infinite-normalized', 'kernelized-normalized'] }, cluster: { methods: [{ input: 'kernelized-normalized', method: 'kernel-kmeans' }] } });
});

test('a cluster input the similarity section does not write is refused, naming what it writes', async () => {
  const message = await refused({ ...BASE, cluster: { methods: [{ input: 'raw', method: 'kmeans' }, { input: 'pca', method: 'kmeans' }] } }, 'cluster.methods[1].input', /"pca" is not written by the similarity section/);
  assert.match(message, /it writes relative, kernelized, ntk, raw\)/);
  await accepted({ ...BASE, similarity: { ...BASE.similarity, baselines: ['raw', 'pca'] }, cluster: { methods: [{ input: 'pca', method: 'kmeans' }] } });
});

test('k above the number of primary examples is refused (2 classes x perClass 1 = 2 examples)', async () => {
  const tiny = { ...BASE, dataset: { ...BASE.dataset, perClass: 1 } };
  await refused({ ...tiny, cluster: { ...BASE.cluster, k: 3 } }, 'cluster.k', /k = 3 but the data set has only 2 primary examples \(2 primary classes x dataset\.perClass 1\)/);
  await accepted({ ...tiny, cluster: { ...BASE.cluster, k: 2 } });
  const synthetic = { dataset: { source: 'synthetic', synthetic: { shape: 'torus', points: 4 } }, train: {}, probe: {}, similarity: { use: ['relative'], baselines: [] } };
  await refused({ ...synthetic, cluster: { k: 5, methods: [{ input: 'relative', method: 'kmeans' }] } }, 'cluster.k', /only 4 primary examples \(dataset\.synthetic\.points 4\)/);
});

test('elastic neighbours need the probe matrices they rank, and k at most the n - 1 other primary examples (2 x perClass 10 = 20)', async () => {
  const neighbours = (n: object) => ({ ...BASE, similarity: { ...BASE.similarity, neighbours: n } });
  await accepted(neighbours({ k: 19 }));
  await refused(neighbours({ k: 20 }), 'similarity.neighbours.k', /k = 20 but each of the 20 primary examples \(2 primary classes x dataset\.perClass 10\) has only 19 others/);
  await refused({ ...BASE, probe: { kinds: ['relative'] }, similarity: { use: ['relative', 'ntk'], baselines: ['raw'], neighbours: { k: 3 } } }, 'similarity.neighbours.of[1]', /probe\.kinds is \["relative"\]: add "kernelized"/);
  await accepted({ ...BASE, probe: { kinds: ['relative'] }, similarity: { use: ['relative', 'ntk'], baselines: ['raw'], neighbours: { k: 3, of: ['relative'] } } });
  const { probe: _probe, ...noProbe } = BASE;
  await refused({ ...noProbe, similarity: { use: ['ntk'], baselines: ['raw'], neighbours: { k: 3 } }, cluster: { methods: [{ input: 'raw', method: 'kmeans' }] } },
    'similarity.neighbours.of[0]', /"relative" is built from the probe stage's relative\.arrow, but the pipeline has no "probe" section/);
  // k 0 (the default) ranks nothing and needs no probe.
  await accepted({ ...noProbe, similarity: { use: ['ntk'], baselines: ['raw'], neighbours: { k: 0 } }, cluster: { methods: [{ input: 'raw', method: 'kmeans' }] } });
});

test('a missing similarity.features file is refused naming the path it looked for (relative to the pipeline file), not "run the stage"', async () => {
  const body = { ...BASE, similarity: { ...BASE.similarity, features: { emb: '../features/emb.arrow' } }, cluster: { methods: [{ input: 'emb', method: 'kmeans' }] } };
  await withPipelineFile(body, async (file, root) => {
    assert.throws(() => validatePipeline(readPipeline(file)), (e: unknown) => {
      assert.ok(e instanceof ElasticityError);
      assert.equal(e.message, `${file}: similarity.features.emb: feature file ${join(root, 'features', 'emb.arrow')} not found (relative paths start at the pipeline file's folder)`);
      return true;
    });
    await mkdir(join(root, 'features'));
    await writeFile(join(root, 'features', 'emb.arrow'), '');
    validatePipeline(readPipeline(file));
  });
});

test('counts the embedded sample cannot give are refused with the ingest stage\'s wording: perClass, auxiliaryCount, testPerClass (at the exact limits)', async () => {
  // Train split of the sample: digit 4 has 784, 9 has 782; 5 and 7 have 690 + 856. Test split: 196, 196; 173 + 214.
  const data = (d: object) => ({ ...BASE, dataset: { ...BASE.dataset, ...d } });
  await refused(data({ perClass: 783 }), 'dataset.perClass', /^.*: primary class 9 has 782 examples in the train split of mnist-sample, 783 needed$/);
  await accepted(data({ perClass: 782, auxiliaryCount: 1000, testPerClass: 0 }));
  await refused(data({ auxiliaryCount: 1547 }), 'dataset.auxiliaryCount', /auxiliary classes 5, 7 have 1546 examples in the train split of mnist-sample, 1547 needed$/);
  await accepted(data({ auxiliaryCount: 1546 }));
  await refused(data({ testPerClass: 197 }), 'dataset.testPerClass', /primary class 4 has 196 examples in the test split of mnist-sample, 197 needed$/);
  // 2 x 194 = 388 auxiliary test examples, the sample's test split has 387.
  await refused(data({ testPerClass: 194 }), 'dataset.testPerClass', /auxiliary classes 5, 7 have 387 examples in the test split of mnist-sample, 388 needed$/);
  await accepted(data({ testPerClass: 193 }));
});

test('split "all" counts both splits of the sample together, and the held-out examples among those the selection left', async () => {
  // Both splits of the sample: digit 4 has 980, 9 has 978; 5 and 7 have 863 + 1070 = 1933.
  const data = (d: object) => ({ ...BASE, dataset: { ...BASE.dataset, split: 'all', ...d } });
  await refused(data({ perClass: 979, testPerClass: 0 }), 'dataset.perClass', /primary class 9 has 978 examples in the train \+ test splits of mnist-sample, 979 needed$/);
  await accepted(data({ perClass: 978, auxiliaryCount: 1933, testPerClass: 0 }));
  // 500 of each selected: 480 fours and 478 nines left; 1000 auxiliary selected: 933 left
  await refused(data({ perClass: 500, auxiliaryCount: 1000, testPerClass: 479 }), 'dataset.testPerClass', /primary class 9 has 478 examples left in the train \+ test splits after the selection of mnist-sample, 479 needed$/);
  await refused(data({ perClass: 500, auxiliaryCount: 1000, testPerClass: 467 }), 'dataset.testPerClass', /auxiliary classes 5, 7 have 933 examples left in the train \+ test splits after the selection of mnist-sample, 934 needed$/);
  await accepted(data({ perClass: 500, auxiliaryCount: 1000, testPerClass: 466 }));
});

test('the embedded sample\'s class counts used by validation are those of the installed mnist package', async () => {
  const sample = await readMnistSample();
  const perDigit = new Array<number>(10).fill(0);
  for (const split of [sample.train, sample.test!]) for (const label of split.labels) perDigit[label]++;
  assert.deepEqual(perDigit, MNIST_SAMPLE_DIGIT_COUNTS);
});

/** IDX label bytes: magic 0x00000801, count, labels. */
function idxLabels(labels: number[]): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  new DataView(out.buffer).setUint32(0, 0x00000801, false);
  new DataView(out.buffer).setUint32(4, labels.length, false);
  out.set(labels, 8);
  return out;
}

test('IDX (raw or gzip) and CIFAR-10 sources: the label counts are read from the files; a missing folder is left to the ingest stage', async () => {
  await withTempDir('validate-raw-', async (root) => {
    // MNIST layout: train labels 3 x class 1, 2 x class 2, 4 x class 0; no test split. Only the labels are read (the images file just has to exist).
    for (const [folder, gz] of [['idx', false], ['idx-gz', true]] as const) {
      await mkdir(join(root, folder));
      const labels = idxLabels([1, 1, 1, 2, 2, 0, 0, 0, 0]);
      await writeFile(join(root, folder, `train-labels-idx1-ubyte${gz ? '.gz' : ''}`), gz ? gzipSync(labels) : labels);
      await writeFile(join(root, folder, `train-images-idx3-ubyte${gz ? '.gz' : ''}`), '');
      const mnist = (d: object) => ({ ...BASE, dataset: { source: 'mnist', path: join(root, folder), primary: [1, 2], auxiliary: [0], testPerClass: 0, ...d } });
      await refused(mnist({ perClass: 3 }), 'dataset.perClass', new RegExp(`primary class 2 has 2 examples in the train split of mnist, 3 needed$`));
      await refused(mnist({ perClass: 2, auxiliaryCount: 5 }), 'dataset.auxiliaryCount', /auxiliary classes 0 have 4 examples/);
      await accepted(mnist({ perClass: 2, auxiliaryCount: 4 }));
    }
    // CIFAR-10: five train batches of one record each (classes 0, 1, 1, 3, 1), a test batch with one cat.
    const cifar = join(root, 'cifar');
    await mkdir(cifar);
    const record = (label: number) => Uint8Array.from({ length: 3073 }, (_, i) => (i === 0 ? label : 7));
    for (const [k, label] of [0, 1, 1, 3, 1].entries()) await writeFile(join(cifar, `data_batch_${k + 1}.bin`), record(label));
    await writeFile(join(cifar, 'test_batch.bin'), record(3));
    const cifarPipeline = (d: object) => ({ ...BASE, dataset: { source: 'cifar10', path: cifar, primary: ['automobile', 'cat'], auxiliary: ['airplane'], perClass: 1, ...d } });
    await refused(cifarPipeline({ perClass: 2, testPerClass: 0 }), 'dataset.perClass', /primary class cat has 1 examples in the train split of cifar10, 2 needed$/);
    await refused(cifarPipeline({ auxiliaryCount: 1, testPerClass: 1 }), 'dataset.testPerClass', /primary class automobile has 0 examples in the test split of cifar10, 1 needed$/);
    await accepted({ ...cifarPipeline({ auxiliaryCount: 1, testPerClass: 0 }), cluster: { k: 2, methods: [{ input: 'raw', method: 'kmeans' }] } });
    // No raw files: nothing to count here; the ingest stage reports the missing folder when it runs.
    await accepted({ ...BASE, dataset: { source: 'mnist', path: join(root, 'absent'), primary: [1, 2], auxiliary: [0], perClass: 100000 } });
  });
});

test('in a matrix pipeline the error names the combination', async () => {
  const message = await refused({ ...BASE, matrix: { k: { path: 'cluster.k', values: [2, 30] } }, dataset: { ...BASE.dataset, perClass: 10 } }, 'cluster.k', /k = 30 but the data set has only 20 primary examples/);
  assert.match(message, /\(in matrix combination 30: \{"k":"30"\}\)$/);
});
