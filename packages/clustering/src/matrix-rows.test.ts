import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { ElasticityError, createRng, writeMatrixBlocks } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { fileRows, memoryRows } from './matrix-rows.ts';
import { checkKernelRows, kernelKmeansSeeds } from './kernel-kmeans.ts';
import { kmeansRowsSeeds } from './kmeans-rows.ts';
import { clusterEmbedding, spectralEmbeddingOf } from './spectral.ts';
import { blobs, rbfKernel } from './test-data.ts';

const META = { stage: 'test', params: {}, seed: null, inputs: {} };

/** An n x n matrix file over ids 10.. written in record batches of `batchRows` (not the readers' blocks). */
async function matrixFile(file: string, values: Float64Array, n: number, batchRows: number): Promise<Int32Array> {
  const ids = Int32Array.from({ length: n }, (_, i) => 10 + i);
  await writeMatrixBlocks([{ file, header: { kind: 'ntk', columnIds: ids } }], META, n, batchRows,
    (from, to) => [{ rowIds: ids.slice(from, to), values: values.slice(from * n, to * n) }]);
  return ids;
}

/** Three overlapping blobs (so that restarts end in different partitions after several iterations) and their RBF kernel. */
function overlapping(): { kernel: Float64Array; n: number } {
  const b = blobs([[0, 0], [2, 0], [1, 1.5]], 20, 0.9, 8);
  return { kernel: rbfKernel(b.x, b.n, 2, 1), n: b.n };
}

test('kernel K-means, K-means on rows and spectral clustering read from a file in blocks give the in-memory results exactly (labels, objectives, iterations, embedding)', async () => {
  await withTempDir('matrix-rows-', async (dir) => {
    const { kernel, n } = overlapping();
    const ids = await matrixFile(join(dir, 'k.arrow'), kernel, n, 7);
    const rng = createRng(2);
    // rows of a non-symmetric similarity, for K-means on rows
    const rows = Float64Array.from(kernel, (v) => v + 0.05 * rng.normal());
    await matrixFile(join(dir, 'r.arrow'), rows, n, 60);
    const seeds = [1, 2, 3];
    const options = { restarts: 4, maxIterations: 300 };
    for (const blockRows of [1, 8, 59]) {
      const inFile = fileRows(join(dir, 'k.arrow'), ids, blockRows, dir);
      const inMemory = memoryRows(kernel, n, n);
      const checked = await checkKernelRows(inFile, 1e-6);
      assert.deepEqual(checked, await checkKernelRows(inMemory, 1e-6));
      const fromFile = await kernelKmeansSeeds(inFile, 3, checked.diagonal, seeds, options);
      const fromMemory = await kernelKmeansSeeds(inMemory, 3, checked.diagonal, seeds, options);
      assert.deepEqual(fromFile, fromMemory, `kernel K-means, blocks of ${blockRows}`);
      assert.ok(fromMemory.some((r) => r.iterations > 2), 'the runs iterate');

      const rowsFile = fileRows(join(dir, 'r.arrow'), ids, blockRows, dir);
      assert.deepEqual(await kmeansRowsSeeds(rowsFile, 3, seeds, options), await kmeansRowsSeeds(memoryRows(rows, n, n), 3, seeds, options), `K-means on rows, blocks of ${blockRows}`);

      const embedding = await spectralEmbeddingOf(fileRows(join(dir, 'k.arrow'), ids, blockRows, dir), 3, { seed: 4, solver: 'iterative' });
      const reference = await spectralEmbeddingOf(memoryRows(kernel, n, n), 3, { seed: 4, solver: 'iterative' });
      assert.deepEqual(embedding, reference, `spectral embedding, blocks of ${blockRows}`);
      assert.deepEqual(await clusterEmbedding(embedding, n, 3, seeds, options), await clusterEmbedding(reference, n, 3, seeds, options));
    }
    assert.deepEqual((await readdir(dir)).sort(), ['k.arrow', 'r.arrow'], 'no scratch file left');
  });
});

test('all seeds and restarts share the passes over a file: it is read as often as by the seed that needs most passes alone', async () => {
  await withTempDir('matrix-rows-', async (dir) => {
    const { kernel, n } = overlapping();
    const ids = await matrixFile(join(dir, 'k.arrow'), kernel, n, 7);
    const diagonal = Float64Array.from({ length: n }, (_, i) => kernel[i * n + i]);
    const alone = [];
    for (const seed of [1, 2, 3]) {
      const source = fileRows(join(dir, 'k.arrow'), ids, 8, dir);
      await kernelKmeansSeeds(source, 3, diagonal, [seed], { restarts: 4 });
      alone.push(source.passes());
    }
    const together = fileRows(join(dir, 'k.arrow'), ids, 8, dir);
    const shared = await kernelKmeansSeeds(together, 3, diagonal, [1, 2, 3], { restarts: 4 });
    assert.equal(together.passes(), Math.max(...alone));
    assert.ok(together.passes() < alone.reduce((a, b) => a + b), 'fewer than one set of passes per seed');
    // in memory the runs go one after another (each its own passes), with the same results
    const inMemory = memoryRows(kernel, n, n);
    assert.deepEqual(await kernelKmeansSeeds(inMemory, 3, diagonal, [1, 2, 3], { restarts: 4 }), shared);
    assert.ok(inMemory.passes() > together.passes(), 'in memory every run makes its own passes');
  });
});

test('a file whose rows are not its columns, or an asymmetric kernel in a file, is refused naming the file and field as in memory', async () => {
  await withTempDir('matrix-rows-', async (dir) => {
    const n = 5;
    const asymmetric = Float64Array.from({ length: n * n }, (_, q) => (q === 3 * n + 1 ? 0.5 : 1 + Number(Math.floor(q / n) === q % n)));
    const file = join(dir, 'a.arrow');
    const ids = await matrixFile(file, asymmetric, n, 2);
    const where = { file, field: 'row' };
    const inMemory = await checkKernelRows(memoryRows(asymmetric, n, n), 1e-6, where).catch((e: unknown) => e as ElasticityError);
    const inFile = await checkKernelRows(fileRows(file, ids, 2, dir), 1e-6, where).catch((e: unknown) => e as ElasticityError);
    assert.ok(inMemory instanceof ElasticityError && /K\(1, 3\) = 1 and K\(3, 1\) = 0\.5/.test(inMemory.message));
    assert.ok(inFile instanceof ElasticityError);
    assert.equal(inFile.message, inMemory.message);
    const others = Int32Array.from(ids).reverse();
    await assert.rejects(fileRows(file, others, 2, dir).pass(() => undefined), (e: unknown) => e instanceof ElasticityError && e.file === file && e.field === 'id');
    assert.deepEqual(await readdir(dir), ['a.arrow']);
  });
});
