import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ElasticityError, createRng, matMulABt, readMatrixBlocks, readMatrixFile, readNeighboursFile, writeDatasetFile, writeMatrixBlocks,
} from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { runSimilarity } from './similarity-stage.ts';
import { BLOCK_BYTES_PER_ENTRY } from './source-in-blocks.ts';

const meta = { stage: 'test', params: {}, seed: 0, inputs: {} };
const MB = 2 ** 20;
/** The stage runtime matrixRowsWithin counts before a stage's data (core's STAGE_RUNTIME_BYTES). */
const RUNTIME_MB = 320;

/** 13 primary examples (ids 100.., every third row auxiliary) in 4-d. */
function dataset(): Dataset {
  const rng = createRng(3);
  const count = 19;
  const roles: Dataset['roles'] = Array.from({ length: count }, (_, r) => (r % 3 === 1 ? 'auxiliary' : 'primary'));
  return {
    name: 'blocks', inputShape: [4], scaling: 'none', d: 4, ids: Int32Array.from({ length: count }, (_, r) => 100 + r),
    x: Float32Array.from({ length: count * 4 }, () => Math.fround(rng.uniform(-1, 1))),
    target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)),
    classes: Int16Array.from(roles, (r, i) => (r === 'primary' ? 4 + (i % 2) : 7)),
    roles,
  };
}

/** The data set written to root/dataset.arrow, and its primary ids. */
async function writeDataset(root: string): Promise<{ ds: Dataset; datasetFile: string; ids: Int32Array; n: number }> {
  const ds = dataset();
  const datasetFile = join(root, 'dataset.arrow');
  await writeDatasetFile(datasetFile, ds, meta);
  const ids = Int32Array.from(ds.ids.filter((_, r) => ds.roles[r] === 'primary'));
  return { ds, datasetFile, ids, n: ids.length };
}

/** A similarity.memoryMb that leaves room for `rows` rows of an n-column source beside `fixedBytes` (what the stage computes from its sizes). */
const budgetForRows = (rows: number, n: number, fixedBytes: number) => RUNTIME_MB + (fixedBytes + (rows + 0.5) * n * BLOCK_BYTES_PER_ENTRY * 4) / MB;

/** Writes a probe-like matrix file over `ids` in record batches of `batchRows`. */
async function matrixFile(file: string, kind: string, ids: Int32Array, values: Float64Array, batchRows: number): Promise<void> {
  const n = ids.length;
  await writeMatrixBlocks([{ file, header: { kind, columnIds: ids, extra: { loss: 'mse' } } }], meta, n, batchRows,
    (from, to) => [{ rowIds: ids.slice(from, to), values: values.slice(from * n, to * n) }]);
}

test('similarity.memoryMb: a source over the budget is symmetrised, normalised and ranked in row blocks, bit for bit the whole path (files of several record batches, no scratch file left)', async () => {
  await withTempDir('similarity-blocks-', async (root) => {
    const { ds, datasetFile, ids, n } = await writeDataset(root);
    const rng = createRng(5);
    const features = Float64Array.from({ length: n * 6 }, () => rng.normal());
    const gram = matMulABt(features, features, n, n, 6);
    // kernelized: a Gram matrix with asymmetric noise off the diagonal (as a probe's is); relative: any values, ties included
    const kernelized = gram.map((v, q) => (Math.floor(q / n) === q % n ? v : v + 0.01 * rng.normal()));
    const relative = Float64Array.from({ length: n * n }, () => Math.round(4 * rng.normal()) / 4);
    await matrixFile(join(root, 'probe', 'relative.arrow'), 'relative', ids, relative, 4);
    await matrixFile(join(root, 'probe', 'kernelized.arrow'), 'kernelized', ids, kernelized, 13);
    await matrixFile(join(root, 'ntk', 'ntk.arrow'), 'ntk', ids, gram, 1);
    const section = { use: ['relative', 'kernelized', 'kernelized-normalized', 'ntk-normalized'], baselines: [], neighbours: { k: 2 } };
    const run = (memoryMb: number, out: string) => runSimilarity({
      config: { ...section, memoryMb }, pipelineFile: 'p.json', datasetFile, probeDir: join(root, 'probe'), ntkDir: join(root, 'ntk'), outDir: join(root, out),
    });
    await run(4096, 'whole');
    const fixedBytes = ds.x.byteLength + n * 2 * 2 * 12;
    await run(budgetForRows(3, n, fixedBytes), 'blocks');

    const names = (await readdir(join(root, 'whole'))).filter((f) => f.endsWith('.arrow')).sort();
    assert.deepEqual(names, ['kernelized-normalized.arrow', 'kernelized.arrow', 'neighbours-kernelized.arrow', 'neighbours-relative.arrow', 'ntk-normalized.arrow', 'relative.arrow']);
    assert.deepEqual((await readdir(join(root, 'blocks'))).sort(), (await readdir(join(root, 'whole'))).sort(), 'the same files, no scratch file');
    for (const name of names.filter((f) => !f.startsWith('neighbours'))) {
      const whole = await readMatrixFile(join(root, 'whole', name));
      const blocks = await readMatrixFile(join(root, 'blocks', name));
      assert.deepEqual(blocks.matrix, whole.matrix, name);
      assert.deepEqual({ ...blocks.meta, params: { ...blocks.meta.params, memoryMb: 0 } }, { ...whole.meta, params: { ...whole.meta.params, memoryMb: 0 } }, name);
      let batches = 0;
      for await (const block of (await readMatrixBlocks(join(root, 'blocks', name))).blocks()) batches += block.rowIds.length > 0 ? 1 : 0;
      assert.equal(batches, 5, `${name}: 13 rows in blocks of 3`);
    }
    // The whole path's values against the definitions, so that "equal" is not equal nonsense.
    const plain = (await readMatrixFile(join(root, 'whole', 'kernelized.arrow'))).matrix.values;
    const normalized = (await readMatrixFile(join(root, 'whole', 'kernelized-normalized.arrow'))).matrix.values;
    for (const [i, j] of [[0, 5], [7, 2], [12, 12]]) {
      assert.equal(plain[i * n + j], i === j ? kernelized[i * n + i] : (kernelized[i * n + j] + kernelized[j * n + i]) / 2);
      assert.ok(Math.abs(normalized[i * n + j] - plain[i * n + j] / Math.sqrt(kernelized[i * n + i] * kernelized[j * n + j])) < 1e-15);
    }
    for (const name of names.filter((f) => f.startsWith('neighbours'))) {
      assert.deepEqual((await readNeighboursFile(join(root, 'blocks', name))).neighbours, (await readNeighboursFile(join(root, 'whole', name))).neighbours, name);
    }
  });
});

test('similarity.memoryMb in blocks: rows out of order, a non-positive diagonal or a budget without room for one row is a clear error naming file and field, and writes nothing', async () => {
  await withTempDir('similarity-blocks-', async (root) => {
    const { ds, datasetFile, ids, n } = await writeDataset(root);
    const budget = budgetForRows(3, n, ds.x.byteLength);
    const run = (use: string[], memoryMb: number) => runSimilarity({
      config: { use, baselines: [], memoryMb }, pipelineFile: 'p.json', datasetFile, probeDir: join(root, 'probe'), ntkDir: join(root, 'ntk'), outDir: join(root, 'out'),
    });
    const swapped = Int32Array.from(ids);
    [swapped[7], swapped[8]] = [swapped[8], swapped[7]];
    const rowsFile = join(root, 'probe', 'relative.arrow');
    await writeMatrixBlocks([{ file: rowsFile, header: { kind: 'relative', columnIds: ids } }], meta, n, 5,
      (from, to) => [{ rowIds: swapped.slice(from, to), values: new Float64Array((to - from) * n) }]);
    await assert.rejects(run(['relative'], budget), (e: unknown) => e instanceof ElasticityError && e.file === rowsFile && e.field === 'id' && e.message.includes(`row 7 is example ${ids[8]}, expected primary example ${ids[7]}`));
    const ntkFile = join(root, 'ntk', 'ntk.arrow');
    await matrixFile(ntkFile, 'ntk', ids, Float64Array.from({ length: n * n }, (_, q) => (q === 9 * n + 9 ? -1 : 1 + (Math.floor(q / n) === q % n ? 1 : 0))), 13);
    await assert.rejects(run(['ntk-normalized'], budget), (e: unknown) => e instanceof ElasticityError && e.file === ntkFile && e.field === 'row' && /K\(9, 9\) = -1/.test(e.message));
    await assert.rejects(run(['ntk'], 320), (e: unknown) => e instanceof ElasticityError && e.file === 'p.json' && e.field === 'similarity.memoryMb' && /cannot hold even one row/.test(e.message));
    assert.deepEqual(await readdir(root), ['dataset.arrow', 'ntk', 'probe'], 'no output folder');
  });
});
