import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ElasticityError, matMulABt, readClustersFile, writeDatasetFile, writeFeaturesFile, writeMatrixFile,
} from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { runCluster } from './cluster-stage.ts';
import type { ClusterMetrics } from './cluster-stage.ts';
import { blobs } from './test-data.ts';

const meta = { stage: 'test', params: {}, seed: 0, inputs: {} };

/**
 * 24 primary examples (classes 4 and 9 alternating: blob 0 = class 4, blob 1 = class 9)
 * plus 4 auxiliary ones at the front; ids are 100 + row.
 */
function setup() {
  const b = blobs([[0, 0, 0], [8, 8, 8]], 12, 0.5, 5);
  const primaryIds = Int32Array.from({ length: b.n }, (_, i) => 104 + i);
  const classes = Int16Array.from(b.labels, (l) => (l === 0 ? 4 : 9));
  const aux = 4;
  const n = b.n + aux;
  const x = new Float32Array(n * 3);
  x.set(Float32Array.from(b.x), aux * 3);
  const ds: Dataset = {
    name: 'tiny', inputShape: [3], scaling: 'none', d: 3,
    ids: Int32Array.from({ length: n }, (_, i) => 100 + i),
    x,
    target: Float32Array.from({ length: n }, (_, i) => (i < aux ? 0 : 1)),
    classes: Int16Array.from({ length: n }, (_, i) => (i < aux ? 7 : classes[i - aux])),
    roles: Array.from({ length: n }, (_, i) => (i < aux ? 'auxiliary' : 'primary')),
  };
  // Features as stored in the data set (float32), so raw-feature K-means sees the same numbers.
  const feats = Float64Array.from(x.subarray(aux * 3));
  return { ds, primaryIds, classes, feats, n: b.n };
}

test('runCluster end to end: features and matrices, metrics.json and clusters files', async () => {
  await withTempDir('cluster-test-', async (root) => {
    const { ds, primaryIds, classes, feats, n } = setup();
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, ds, meta);
    const simDir = join(root, 'similarity');
    await writeFeaturesFile(join(simDir, 'raw.arrow'), { kind: 'raw', ids: primaryIds, values: feats, dim: 3 }, meta);
    // A linear kernel (symmetric, positive diagonal after adding 1) as "kernelized".
    const kernel = matMulABt(feats, feats, n, n, 3);
    for (let i = 0; i < n; i++) kernel[i * n + i] += 1;
    await writeMatrixFile(join(simDir, 'kernelized.arrow'), { kind: 'kernelized', rowIds: primaryIds, columnIds: primaryIds, values: kernel }, meta);
    // A "relative" similarity: 1 within a class, 0 across, so K-means on its rows recovers the classes.
    const rel = Float64Array.from({ length: n * n }, (_, t) => (classes[Math.floor(t / n)] === classes[t % n] ? 1 : 0));
    await writeMatrixFile(join(simDir, 'relative.arrow'), { kind: 'relative', rowIds: primaryIds, columnIds: primaryIds, values: rel }, meta);

    const outDir = join(root, 'cluster');
    const config = {
      k: 2, seeds: 3, restarts: 2,
      methods: [
        { input: 'raw', method: 'kmeans' },
        { input: 'relative', method: 'kmeans' },
        { input: 'kernelized', method: 'kernel-kmeans' },
        { input: 'raw', method: 'kernel-kmeans' },
        { input: 'relative', method: 'spectral' },
      ],
    };
    await runCluster({ config, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir, seed: 11 });
    assert.deepEqual((await readdir(outDir)).sort(), [
      'kernelized-kernel-kmeans.arrow', 'metrics.json', 'raw-kernel-kmeans.arrow', 'raw-kmeans.arrow', 'relative-kmeans.arrow', 'relative-spectral.arrow',
    ]);
    const metrics = JSON.parse(await readFile(join(outDir, 'metrics.json'), 'utf8')) as ClusterMetrics;
    assert.equal(metrics.k, 2);
    assert.equal(metrics.seeds, 3);
    assert.deepEqual(metrics.classes, [4, 9]);
    assert.deepEqual(metrics.results.map((r) => `${r.input}-${r.method}`), ['raw-kmeans', 'relative-kmeans', 'kernelized-kernel-kmeans', 'raw-kernel-kmeans', 'relative-spectral']);
    for (const r of metrics.results) {
      for (const m of [r.accuracy, r.ari, r.nmi]) {
        assert.deepEqual(m.values, [1, 1, 1]);
        assert.equal(m.mean, 1);
        assert.equal(m.sd, 0);
      }
      // 12 examples of each class, each in its own cluster.
      const sorted = [...r.confusion].sort((a, b) => b[0] - a[0]);
      assert.deepEqual(sorted, [[12, 0], [0, 12]]);
    }
    const { clusters, meta: m } = await readClustersFile(join(outDir, 'relative-kmeans.arrow'));
    assert.equal(clusters.method, 'kmeans');
    assert.equal(clusters.input, 'relative');
    assert.equal(m.stage, 'cluster');
    assert.equal(m.seed, 11);
    assert.deepEqual(Array.from(clusters.ids), Array.from(primaryIds));
    assert.deepEqual(Array.from(clusters.classes), Array.from(classes));
    for (let i = 0; i < n; i++) assert.equal(clusters.clusters[i] === clusters.clusters[0], classes[i] === classes[0]);

    // Same seed, same bytes of metrics.json.
    const again = join(root, 'cluster2');
    await runCluster({ config, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir: again, seed: 11 });
    assert.equal(await readFile(join(again, 'metrics.json'), 'utf8'), await readFile(join(outDir, 'metrics.json'), 'utf8'));
  });
});

test('runCluster: missing input, wrong rows, asymmetric kernel are clear errors and leave no output', async () => {
  await withTempDir('cluster-test-', async (root) => {
    const { ds, primaryIds, n } = setup();
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, ds, meta);
    const simDir = join(root, 'similarity');
    const outDir = join(root, 'cluster');
    await assert.rejects(
      runCluster({ config: { methods: [{ input: 'ntk', method: 'kernel-kmeans' }] }, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.includes(join(simDir, 'ntk.arrow')) && /cluster\.methods\[0\]\.input/.test(e.message),
    );
    const asym = Float64Array.from({ length: n * n }, (_, t) => 1 + (t % n) * 0.01 + (Math.floor(t / n) === t % n ? 1 : 0));
    await writeMatrixFile(join(simDir, 'ntk.arrow'), { kind: 'ntk', rowIds: primaryIds, columnIds: primaryIds, values: asym }, meta);
    await assert.rejects(
      runCluster({ config: { methods: [{ input: 'ntk', method: 'kernel-kmeans' }] }, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith(`${join(simDir, 'ntk.arrow')}: row: kernel K-means needs a symmetric matrix`),
    );
    const shuffled = Int32Array.from(primaryIds).reverse();
    await writeMatrixFile(join(simDir, 'relative.arrow'), { kind: 'relative', rowIds: shuffled, columnIds: shuffled, values: new Float64Array(n * n) }, meta);
    await assert.rejects(
      runCluster({ config: { methods: [{ input: 'relative', method: 'kmeans' }] }, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir }),
      (e: unknown) => e instanceof ElasticityError && /relative\.arrow: id: row 0 is example 127, expected primary example 104/.test(e.message),
    );
    await assert.rejects(
      runCluster({ config: { k: 30, methods: [{ input: 'ntk', method: 'kmeans' }] }, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir }),
      (e: unknown) => e instanceof ElasticityError && /p\.json: cluster\.k: k = 30 but the data set has only 24 primary examples/.test(e.message),
    );
    await writeFeaturesFile(join(simDir, 'raw.arrow'), { kind: 'raw', ids: primaryIds, values: new Float64Array(n * 2).fill(1), dim: 2 }, meta);
    await assert.rejects(
      runCluster({ config: { methods: [{ input: 'raw', method: 'spectral' }] }, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir }),
      (e: unknown) => e instanceof ElasticityError && /p\.json: cluster\.methods\[0\]\.method: spectral clustering needs a similarity matrix/.test(e.message),
    );
    await assert.rejects(
      runCluster({ config: { methods: [{ input: 'ntk', method: 'spectral' }] }, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith(`${join(simDir, 'ntk.arrow')}: row: spectral clustering needs a symmetric affinity`),
    );
    await assert.rejects(readdir(outDir), { code: 'ENOENT' });
  });
});
