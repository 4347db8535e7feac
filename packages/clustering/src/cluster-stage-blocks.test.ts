import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError, readClustersFile, writeDatasetFile, writeMatrixBlocks } from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { clusterRowsWithin, runCluster } from './cluster-stage.ts';
import { parseClusterConfig } from './cluster-config.ts';
import { blobs, rbfKernel } from './test-data.ts';

const meta = { stage: 'test', params: {}, seed: 0, inputs: {} };
const MB = 2 ** 20;
/** What matrixRowsWithin counts before a stage's data (core's STAGE_RUNTIME_BYTES), and each block entry's four copies. */
const RUNTIME = 320 * MB;
const HELD = 4;

/** 45 primary examples of two overlapping classes (ids 200..), a data set holding just them, and their RBF kernel. */
function setup() {
  const b = blobs([[0, 0], [1.5, 1]], 15, 0.8, 3);
  const extra = blobs([[0.7, 0.5]], 15, 1, 4);
  const n = b.n + extra.n;
  const x = new Float64Array(n * 2);
  x.set(b.x);
  x.set(extra.x, b.x.length);
  const labels = [...b.labels, ...extra.labels.map((_, i) => i % 2)];
  const ds: Dataset = {
    name: 'blocks', inputShape: [2], scaling: 'none', d: 2, ids: Int32Array.from({ length: n }, (_, i) => 200 + i),
    x: Float32Array.from(x), target: new Float32Array(n).fill(1), classes: Int16Array.from(labels, (l) => 3 + 2 * l),
    roles: Array.from({ length: n }, () => 'primary'),
  };
  return { ds, n, kernel: rbfKernel(x, n, 2, 1) };
}

test('cluster.memoryMb: budget arithmetic: the rows left beside the runtime, the data set and every run\'s work arrays, four copies of 24 bytes per entry', () => {
  const config = parseClusterConfig({ k: 3, seeds: 2, restarts: 5, memoryMb: 1000 }, 'p.json');
  const n = 10_000;
  const work = 8 * n * Math.max(2 * 5 * (4 * 3 + 8), 14 * (3 + 8));
  assert.equal(clusterRowsWithin(config, n, 12345, 'p.json'), Math.floor((1000 * MB - RUNTIME - 12345 - work) / (n * 24 * HELD)));
  assert.throws(() => clusterRowsWithin({ ...config, memoryMb: 330 }, n, 0, 'p.json'),
    (e: unknown) => e instanceof ElasticityError && e.file === 'p.json' && e.field === 'cluster.memoryMb' && /cannot hold even one row of the 10000-column matrix/.test(e.message));
});

test('cluster.memoryMb: matrices over the budget are clustered from the file in blocks, with the whole matrix\'s labels and metrics (kernel K-means, K-means on rows, spectral)', async () => {
  await withTempDir('cluster-blocks-', async (root) => {
    const { ds, n, kernel } = setup();
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, ds, meta);
    const simDir = join(root, 'similarity');
    // written in record batches of 11 rows, read in blocks of 4
    await writeMatrixBlocks([{ file: join(simDir, 'ntk.arrow'), header: { kind: 'ntk', columnIds: ds.ids } }], meta, n, 11,
      (from, to) => [{ rowIds: ds.ids.slice(from, to), values: kernel.slice(from * n, to * n) }]);
    const section = {
      k: 2, seeds: 3, restarts: 4,
      methods: [{ input: 'ntk', method: 'kernel-kmeans' }, { input: 'ntk', method: 'kmeans' }, { input: 'ntk', method: 'spectral' }],
    };
    const work = 8 * n * Math.max(3 * 4 * (4 * 2 + 8), 14 * (2 + 8));
    const fourRows = (RUNTIME + ds.x.byteLength + work + 4.5 * n * 24 * HELD) / MB;
    assert.equal(clusterRowsWithin(parseClusterConfig({ ...section, memoryMb: fourRows }, 'p.json'), n, ds.x.byteLength, 'p.json'), 4);
    const run = (memoryMb: number, out: string) => runCluster({ config: { ...section, memoryMb }, pipelineFile: 'p.json', datasetFile, similarityDir: simDir, outDir: join(root, out), seed: 5 });
    await run(4096, 'whole');
    await run(fourRows, 'blocks');
    const metrics = async (out: string) => JSON.parse(await readFile(join(root, out, 'metrics.json'), 'utf8')) as { results: Array<{ accuracy: { values: number[] } }> };
    const whole = await metrics('whole');
    assert.deepEqual(await metrics('blocks'), whole);
    assert.ok(whole.results.some((r) => r.accuracy.values.some((a) => a < 1)), 'a clustering that is not trivially perfect');
    const files = (await readdir(join(root, 'whole'))).filter((f) => f.endsWith('.arrow')).sort();
    assert.deepEqual(files, ['ntk-kernel-kmeans.arrow', 'ntk-kmeans.arrow', 'ntk-spectral.arrow']);
    assert.deepEqual((await readdir(join(root, 'blocks'))).sort(), (await readdir(join(root, 'whole'))).sort(), 'no scratch file left');
    for (const f of files) assert.deepEqual((await readClustersFile(join(root, 'blocks', f))).clusters, (await readClustersFile(join(root, 'whole', f))).clusters, f);

    await assert.rejects(run(320, 'small'), (e: unknown) => e instanceof ElasticityError && e.file === 'p.json' && e.field === 'cluster.memoryMb' && /cannot hold even one row/.test(e.message));
    assert.ok(!(await readdir(root)).includes('small'), 'nothing written');
  });
});
