import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ElasticityError, createRng, initBackend, matMulABt, readFeaturesFile, readMatrixFile, readNeighboursFile, saveModelDir, trainedOnRecord, writeDatasetFile, writeFeaturesFile,
  writeMatrixFile,
} from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import type { Dataset } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { runSimilarity } from './similarity-stage.ts';

const meta = { stage: 'test', params: {}, seed: 0, inputs: {} };

/** 6 primary examples (ids 20..25, interleaved with 3 auxiliary ones) in 5-d. */
function tinyDataset(): Dataset {
  const rng = createRng(1);
  const roles: Dataset['roles'] = ['primary', 'auxiliary', 'primary', 'primary', 'auxiliary', 'primary', 'primary', 'auxiliary', 'primary'];
  const ids = Int32Array.of(20, 30, 21, 22, 31, 23, 24, 32, 25);
  return {
    name: 'tiny', inputShape: [5], scaling: 'none', d: 5, ids,
    x: Float32Array.from({ length: ids.length * 5 }, () => Math.fround(rng.uniform(-1, 1))),
    target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)),
    classes: Int16Array.of(4, 5, 9, 4, 7, 9, 4, 5, 9),
    roles,
  };
}

test('runSimilarity symmetrises the named matrices and writes raw and PCA features', async () => {
  await withTempDir('similarity-test-', async (root) => {
    const ds = tinyDataset();
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, ds, meta);
    const primaryIds = Int32Array.of(20, 21, 22, 23, 24, 25);
    const n = 6;
    const rng = createRng(2);
    const rel = Float64Array.from({ length: n * n }, () => rng.normal());
    const ntk = Float64Array.from({ length: n * n }, () => rng.normal());
    await writeMatrixFile(join(root, 'probe', 'relative.arrow'), { kind: 'relative', rowIds: primaryIds, columnIds: primaryIds, values: rel, extra: { loss: 'mse' } }, meta);
    await writeMatrixFile(join(root, 'ntk', 'ntk.arrow'), { kind: 'ntk', rowIds: primaryIds, columnIds: primaryIds, values: ntk }, meta);
    const outDir = join(root, 'out');
    await runSimilarity({
      config: { use: ['relative', 'ntk'], baselines: ['raw', 'pca'], pcaComponents: 3 },
      pipelineFile: 'p.json', datasetFile, probeDir: join(root, 'probe'), ntkDir: join(root, 'ntk'), outDir,
    });
    assert.deepEqual((await readdir(outDir)).sort(), ['ntk.arrow', 'pca.arrow', 'raw.arrow', 'relative.arrow']);

    for (const [name, src] of [['relative', rel], ['ntk', ntk]] as const) {
      const { matrix, meta: m } = await readMatrixFile(join(outDir, `${name}.arrow`));
      assert.equal(matrix.kind, name);
      assert.equal(matrix.extra?.source, name);
      assert.equal(matrix.extra?.symmetrized, 'true');
      assert.equal(m.stage, 'similarity');
      assert.deepEqual(Array.from(matrix.rowIds), Array.from(primaryIds));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          assert.ok(Math.abs(matrix.values[i * n + j] - (src[i * n + j] + src[j * n + i]) / 2) < 1e-15);
        }
      }
    }
    const raw = (await readFeaturesFile(join(outDir, 'raw.arrow'))).features;
    assert.equal(raw.kind, 'raw');
    assert.equal(raw.dim, 5);
    assert.deepEqual(Array.from(raw.ids), Array.from(primaryIds));
    // Primary example id 21 is dataset row 2.
    assert.deepEqual(Array.from(raw.values.subarray(5, 10)), Array.from(ds.x.subarray(10, 15)));
    const pca = (await readFeaturesFile(join(outDir, 'pca.arrow'))).features;
    assert.equal(pca.kind, 'pca');
    assert.equal(pca.dim, 3);
    assert.deepEqual(Array.from(pca.ids), Array.from(primaryIds));
  });
});

test('runSimilarity: a missing input named in use, or rows in the wrong order, is a clear error and writes nothing', async () => {
  await withTempDir('similarity-test-', async (root) => {
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, tinyDataset(), meta);
    const outDir = join(root, 'out');
    await assert.rejects(
      runSimilarity({ config: { use: ['kernelized'], baselines: [] }, pipelineFile: 'p.json', datasetFile, probeDir: join(root, 'probe'), outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.includes(join(root, 'probe', 'kernelized.arrow')) && /not found/.test(e.message),
    );
    await assert.rejects(
      runSimilarity({ config: { use: ['ntk'], baselines: [] }, pipelineFile: 'p.json', datasetFile, outDir }),
      (e: unknown) => e instanceof ElasticityError && /similarity\.use\[0\]: "ntk" needs the ntkDir option/.test(e.message),
    );
    const wrongOrder = Int32Array.of(21, 20, 22, 23, 24, 25);
    await writeMatrixFile(join(root, 'ntk', 'ntk.arrow'), { kind: 'ntk', rowIds: wrongOrder, columnIds: wrongOrder, values: new Float64Array(36) }, meta);
    await assert.rejects(
      runSimilarity({ config: { use: ['ntk'], baselines: ['raw'] }, pipelineFile: 'p.json', datasetFile, ntkDir: join(root, 'ntk'), outDir }),
      (e: unknown) => e instanceof ElasticityError && /ntk\.arrow: id: row 0 is example 21/.test(e.message),
    );
    await assert.rejects(readdir(outDir), { code: 'ENOENT' });
  });
});

test('runSimilarity: ntk-infinite, normalised kernels, activation-cosine from the model, and a user feature file', async () => {
  await withTempDir('similarity-test-', async (root) => {
    const ds = tinyDataset();
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, ds, meta);
    const primaryIds = Int32Array.of(20, 21, 22, 23, 24, 25);
    const n = 6;
    // A PSD kernel with diagonal 1..6 plus an asymmetric perturbation that symmetrising removes.
    const rng = createRng(3);
    const g = Float64Array.from({ length: n * 3 }, () => rng.normal());
    const kernel = matMulABt(g, g, n, n, 3);
    for (let i = 0; i < n; i++) kernel[i * n + i] += i + 1;
    const perturbed = Float64Array.from(kernel, (v, t) => v + (Math.floor(t / n) < t % n ? 0.25 : -0.25) * (Math.floor(t / n) === t % n ? 0 : 1));
    await writeMatrixFile(join(root, 'ntk', 'ntk.arrow'), { kind: 'ntk', rowIds: primaryIds, columnIds: primaryIds, values: perturbed }, meta);
    await writeMatrixFile(join(root, 'ntk', 'ntk-infinite.arrow'), { kind: 'ntk-infinite', rowIds: primaryIds, columnIds: primaryIds, values: kernel }, meta);
    // The model: Dense(4, relu) on the 5 inputs, then Dense(1).
    await initBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 4, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
    const w = Float32Array.from({ length: 20 }, () => rng.normal());
    model.layers[0].setWeights([tf.tensor2d(w, [5, 4]), tf.zeros([4])]);
    const modelDir = join(root, 'train');
    await saveModelDir(model, join(modelDir, 'model'), { model: 'MLPNet', loss: 'mse', sigmoidOutput: false, trainedOn: await trainedOnRecord(datasetFile) });
    // A plain features file in another folder, named relative to the pipeline file.
    await writeFeaturesFile(join(root, 'features', 'emb.arrow'), { kind: 'x', ids: Int32Array.of(25, 24, 23, 22, 21, 20, 30), values: Float64Array.from({ length: 14 }, (_, t) => t), dim: 2 }, meta);
    const pipelineFile = join(root, 'pipelines', 'p.json');
    const outDir = join(root, 'out');
    await runSimilarity({
      config: { use: ['ntk-normalized', 'ntk', 'ntk-infinite-normalized', 'activation-cosine'], baselines: [], features: { emb: '../features/emb.arrow' } },
      pipelineFile, datasetFile, ntkDir: join(root, 'ntk'), modelDir, outDir,
    });
    assert.deepEqual((await readdir(outDir)).sort(), ['activation-cosine.arrow', 'emb.arrow', 'ntk-infinite-normalized.arrow', 'ntk-normalized.arrow', 'ntk.arrow']);
    const read = async (name: string) => (await readMatrixFile(join(outDir, `${name}.arrow`))).matrix;
    const ntk = await read('ntk');
    const norm = await read('ntk-normalized');
    const inf = await read('ntk-infinite-normalized');
    assert.equal(norm.kind, 'ntk-normalized');
    assert.equal(norm.extra?.normalized, 'true');
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const k = kernel[i * n + j] / Math.sqrt(kernel[i * n + i] * kernel[j * n + j]);
        assert.ok(Math.abs(ntk.values[i * n + j] - kernel[i * n + j]) < 1e-12, 'symmetrised ntk is the kernel');
        assert.ok(Math.abs(norm.values[i * n + j] - k) < 1e-12);
        assert.ok(Math.abs(inf.values[i * n + j] - k) < 1e-12);
      }
    }
    // activation-cosine against patterns computed here by hand from the weights.
    const cos = await read('activation-cosine');
    const rows = [0, 2, 3, 5, 6, 8]; // dataset rows of the primary examples
    const pattern = rows.map((r) => Array.from({ length: 4 }, (_, u): number => {
      let h = 0;
      for (let p = 0; p < 5; p++) h += ds.x[r * 5 + p] * w[p * 4 + u];
      return h > 0 ? 1 : 0;
    }));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = pattern[i], b = pattern[j];
        const na = a.reduce((s, v) => s + v, 0), nb = b.reduce((s, v) => s + v, 0);
        const expected = i === j ? 1 : na === 0 || nb === 0 ? 0 : a.reduce((s, v, u) => s + v * b[u], 0) / Math.sqrt(na * nb);
        assert.ok(Math.abs(cos.values[i * n + j] - expected) < 1e-12, `(${i}, ${j})`);
      }
    }
    // The user's features, reordered to the primary ids (row r of the file holds id 25 - r and values 2r, 2r + 1).
    const emb = (await readFeaturesFile(join(outDir, 'emb.arrow'))).features;
    assert.equal(emb.kind, 'emb');
    assert.deepEqual(Array.from(emb.ids), Array.from(primaryIds));
    assert.deepEqual(Array.from(emb.values.subarray(0, 4)), [10, 11, 8, 9]);
    model.dispose();
  });
});

test('runSimilarity: the autoencoder baseline on images; clear errors for non-images, a missing model and a non-positive diagonal', async () => {
  await withTempDir('similarity-test-', async (root) => {
    // 8 images 28 x 28 (4 primary), values in [-1, 1].
    const rng = createRng(6);
    const n = 8;
    const images: Dataset = {
      name: 'img', inputShape: [1, 28, 28], scaling: 'none', d: 784, ids: Int32Array.from({ length: n }, (_, i) => i),
      x: Float32Array.from({ length: n * 784 }, () => rng.uniform(-1, 1)),
      target: Float32Array.from({ length: n }, (_, i) => i % 2), classes: Int16Array.from({ length: n }, (_, i) => i % 2),
      roles: Array.from({ length: n }, (_, i) => (i % 2 === 1 ? 'primary' : 'auxiliary')),
    };
    const imageFile = join(root, 'images.arrow');
    await writeDatasetFile(imageFile, images, meta);
    await runSimilarity({
      config: { use: [], baselines: ['autoencoder'], autoencoder: { epochs: 1, batchSize: 4 } }, pipelineFile: 'p.json', datasetFile: imageFile, outDir: join(root, 'ae'),
    });
    const codes = (await readFeaturesFile(join(root, 'ae', 'autoencoder.arrow'))).features;
    assert.equal(codes.dim, 32);
    assert.deepEqual(Array.from(codes.ids), [1, 3, 5, 7]);

    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, tinyDataset(), meta);
    const outDir = join(root, 'out');
    await assert.rejects(
      runSimilarity({ config: { use: [], baselines: ['autoencoder'] }, pipelineFile: 'p.json', datasetFile, outDir }),
      (e: unknown) => e instanceof ElasticityError && /dataset\.arrow: input_shape: the convolutional autoencoder baseline needs image examples/.test(e.message),
    );
    await assert.rejects(
      runSimilarity({ config: { use: ['activation-cosine'], baselines: [] }, pipelineFile: 'p.json', datasetFile, outDir }),
      (e: unknown) => e instanceof ElasticityError && /p\.json: similarity\.use\[0\]: "activation-cosine" needs the modelDir option/.test(e.message),
    );
    await assert.rejects(
      runSimilarity({ config: { use: ['activation-cosine'], baselines: [] }, pipelineFile: 'p.json', datasetFile, modelDir: join(root, 'train'), outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith(join(root, 'train', 'model', 'model.json')) && /not found/.test(e.message),
    );
    await assert.rejects(
      runSimilarity({ config: { use: ['ntk-infinite'], baselines: [] }, pipelineFile: 'p.json', datasetFile, ntkDir: join(root, 'ntk'), outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.includes(join(root, 'ntk', 'ntk-infinite.arrow')),
    );
    await assert.rejects(
      runSimilarity({ config: { use: [], baselines: [], features: { f: 'missing.arrow' } }, pipelineFile: join(root, 'p.json'), datasetFile, outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith(`${join(root, 'missing.arrow')}: similarity.features.f: feature file "f" not found`),
    );
    const ids = Int32Array.of(20, 21, 22, 23, 24, 25);
    const bad = new Float64Array(36).fill(0.5);
    bad[3 * 6 + 3] = 0;
    await writeMatrixFile(join(root, 'ntk', 'ntk.arrow'), { kind: 'ntk', rowIds: ids, columnIds: ids, values: bad }, meta);
    await assert.rejects(
      runSimilarity({ config: { use: ['ntk-normalized'], baselines: [] }, pipelineFile: 'p.json', datasetFile, ntkDir: join(root, 'ntk'), outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith(`${join(root, 'ntk', 'ntk.arrow')}: row: normalising a kernel needs a positive diagonal, but K(3, 3) = 0`),
    );
    await assert.rejects(readdir(outDir), { code: 'ENOENT' });
  });
});

test('runSimilarity with neighbours.k ranks each unsymmetrised probe row: neighbours equal a sort of the row, itself left out', async () => {
  await withTempDir('similarity-test-', async (root) => {
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, tinyDataset(), meta);
    const ids = Int32Array.of(20, 21, 22, 23, 24, 25);
    const n = 6;
    const rng = createRng(3);
    // Quarter steps: ties within rows, and an unsymmetric matrix (its symmetrised rows would rank otherwise).
    const probes = {
      relative: Float64Array.from({ length: n * n }, () => Math.round(rng.uniform(0, 8)) / 4),
      kernelized: Float64Array.from({ length: n * n }, () => rng.normal()),
    };
    for (const kind of ['relative', 'kernelized'] as const) {
      await writeMatrixFile(join(root, 'probe', `${kind}.arrow`), { kind, rowIds: ids, columnIds: ids, values: probes[kind] }, meta);
    }
    const outDir = join(root, 'out');
    await runSimilarity({
      config: { use: ['kernelized'], baselines: [], neighbours: { k: 2 } }, pipelineFile: 'p.json', datasetFile, probeDir: join(root, 'probe'), outDir,
    });
    assert.deepEqual((await readdir(outDir)).sort(), ['kernelized.arrow', 'neighbours-kernelized.arrow', 'neighbours-relative.arrow']);
    for (const kind of ['relative', 'kernelized'] as const) {
      const { neighbours, meta: m } = await readNeighboursFile(join(outDir, `neighbours-${kind}.arrow`));
      assert.equal(neighbours.kind, kind);
      assert.equal(neighbours.k, 2);
      assert.equal(m.stage, 'similarity');
      assert.deepEqual(Array.from(neighbours.ids), Array.from(ids));
      for (let i = 0; i < n; i++) {
        const others = Array.from(ids, (id, j) => ({ id, v: probes[kind][i * n + j] })).filter((_, j) => j !== i);
        const top = [...others].sort((a, b) => (a.v === b.v ? a.id - b.id : b.v - a.v)).slice(0, 2);
        const bottom = [...others].sort((a, b) => (a.v === b.v ? a.id - b.id : a.v - b.v)).slice(0, 2);
        assert.deepEqual(Array.from(neighbours.neighbourIds.subarray(4 * i, 4 * i + 4)), [...top, ...bottom].map((e) => e.id), `${kind} row ${i}`);
        assert.deepEqual(Array.from(neighbours.values.subarray(4 * i, 4 * i + 4)), [...top, ...bottom].map((e) => e.v), `${kind} row ${i}`);
      }
    }
    // The kernelized matrix written beside the neighbours is still the symmetrised one.
    const { matrix } = await readMatrixFile(join(outDir, 'kernelized.arrow'));
    assert.equal(matrix.values[1], (probes.kernelized[1] + probes.kernelized[n]) / 2);

    await assert.rejects(
      runSimilarity({ config: { use: [], baselines: [], neighbours: { k: 6, of: ['relative'] } }, pipelineFile: 'p.json', datasetFile, probeDir: join(root, 'probe'), outDir: join(root, 'big-k') }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith('p.json: similarity.neighbours.k: k = 6 but each of the 6 probed examples has 5 other examples'),
    );
    await assert.rejects(
      runSimilarity({ config: { use: [], baselines: [], neighbours: { k: 1, of: ['relative'] } }, pipelineFile: 'p.json', datasetFile, outDir: join(root, 'no-probe') }),
      (e: unknown) => e instanceof ElasticityError && e.message === 'p.json: similarity.neighbours.of[0]: "relative" needs the probeDir option (the probe stage output folder)',
    );
    await assert.rejects(readdir(join(root, 'big-k')));
  });
});
