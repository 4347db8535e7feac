import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { withTempDir } from '../testing/temp-dir.ts';
import { ElasticityError } from '../errors.ts';
import { writeMatrixBlocks } from './matrix-blocks.ts';
import { readMatrixRowBlocks } from './matrix-row-blocks.ts';
import { openMatrixColumnBlocks } from './matrix-column-blocks.ts';

const META = { stage: 'test', params: {}, seed: null, inputs: {} };
const n = 7;
/** Entry (i, j) = 10 i + j + 1/4: every entry distinct and exact. */
const entry = (i: number, j: number) => 10 * i + j + 0.25;
const ids = Int32Array.from({ length: n }, (_, i) => 3 * i + 2);

/** A 7 x 7 matrix file written in record batches of `batchRows` rows. */
async function matrixFile(dir: string, batchRows: number): Promise<string> {
  const file = join(dir, `m-${batchRows}.arrow`);
  await writeMatrixBlocks([{ file, header: { kind: 'ntk', columnIds: ids } }], META, n, batchRows, (from, to) => [{
    rowIds: ids.slice(from, to),
    values: Float64Array.from({ length: (to - from) * n }, (_, q) => entry(from + Math.floor(q / n), q % n)),
  }]);
  return file;
}

test('readMatrixRowBlocks cuts any record batches into blocks of the rows asked, with their ids and values', async () => {
  await withTempDir('row-blocks-', async (dir) => {
    for (const batchRows of [1, 3, 7]) {
      const file = await matrixFile(dir, batchRows);
      for (const blockRows of [1, 2, 5, 7, 9]) {
        const read = await readMatrixRowBlocks(file, blockRows, n);
        const seen: number[][] = [];
        for await (const block of read.blocks()) {
          seen.push([block.from, block.to]);
          assert.deepEqual(block.rowIds, ids.slice(block.from, block.to));
          assert.deepEqual(block.values, Float64Array.from({ length: (block.to - block.from) * n }, (_, q) => entry(block.from + Math.floor(q / n), q % n)));
        }
        const cuts = Array.from({ length: Math.ceil(n / blockRows) }, (_, b) => [b * blockRows, Math.min(n, (b + 1) * blockRows)]);
        assert.deepEqual(seen, cuts, `batches of ${batchRows}, blocks of ${blockRows}`);
        assert.equal(read.largestBatchRows(), batchRows);
      }
    }
  });
});

test('readMatrixRowBlocks with views: the record batches cut into blocks of at most the rows asked, none across two batches, the same rows and values', async () => {
  await withTempDir('row-blocks-', async (dir) => {
    for (const batchRows of [1, 3, 7]) {
      const file = await matrixFile(dir, batchRows);
      for (const blockRows of [1, 2, 5, 9]) {
        const read = await readMatrixRowBlocks(file, blockRows, n, { views: true });
        const seen: number[][] = [];
        for await (const block of read.blocks()) {
          seen.push([block.from, block.to]);
          assert.deepEqual(block.rowIds, ids.slice(block.from, block.to));
          assert.deepEqual(block.values, Float64Array.from({ length: (block.to - block.from) * n }, (_, q) => entry(block.from + Math.floor(q / n), q % n)));
        }
        // batch b holds rows [b batchRows, (b + 1) batchRows): each is cut into pieces of blockRows
        const cuts: number[][] = [];
        for (let b = 0; b < n; b += batchRows) for (let a = b; a < Math.min(n, b + batchRows); a += blockRows) cuts.push([a, Math.min(a + blockRows, b + batchRows, n)]);
        assert.deepEqual(seen, cuts, `batches of ${batchRows}, blocks of at most ${blockRows}`);
      }
    }
    const parts = [{ file: await partFile(dir, 0, 3, 2), rows: 3 }, { file: await partFile(dir, 3, 7, 4), rows: 4 }];
    const etas: number[] = [];
    for await (const block of (await readMatrixRowBlocks(parts, 3, undefined, { views: true })).blocks()) etas.push(...block.eta!);
    assert.deepEqual(etas, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
  });
});

test('readMatrixRowBlocks refuses a file with other than the rows expected, naming the file and the id field', async () => {
  await withTempDir('row-blocks-', async (dir) => {
    const file = await matrixFile(dir, 3);
    for (const rows of [6, 8]) {
      const read = await readMatrixRowBlocks(file, 4, rows);
      await assert.rejects(async () => {
        for await (const _ of read.blocks());
      }, (e: unknown) => e instanceof ElasticityError && e.file === file && e.field === 'id');
    }
  });
});

/** Rows [from, to) of the 7 x 7 matrix as a file of their own in record batches of `batchRows`, with a step size per row (eta = the row's index + 1/2). */
async function partFile(dir: string, from: number, to: number, batchRows: number): Promise<string> {
  const file = join(dir, `part-${from}-${to}.arrow`);
  await writeMatrixBlocks([{ file, header: { kind: 'relative', columnIds: ids } }], META, to - from, batchRows, (a, b) => [{
    rowIds: ids.slice(from + a, from + b),
    values: Float64Array.from({ length: (b - a) * n }, (_, q) => entry(from + a + Math.floor(q / n), q % n)),
    eta: Float64Array.from({ length: b - a }, (_, r) => from + a + r + 0.5),
  }]);
  return file;
}

test('readMatrixRowBlocks of parts (row shards): one matrix whose blocks run across the files, steps included; a part with other rows than it should is refused naming it', async () => {
  await withTempDir('row-blocks-', async (dir) => {
    const parts = [{ file: await partFile(dir, 0, 3, 2), rows: 3 }, { file: await partFile(dir, 3, 4, 1), rows: 1 }, { file: await partFile(dir, 4, 7, 3), rows: 3 }];
    for (const blockRows of [1, 2, 5, 7]) {
      const read = await readMatrixRowBlocks(parts, blockRows);
      assert.equal(read.header.kind, 'relative');
      const seen: number[][] = [];
      for await (const block of read.blocks()) {
        seen.push([block.from, block.to]);
        assert.deepEqual(block.rowIds, ids.slice(block.from, block.to));
        assert.deepEqual(block.values, Float64Array.from({ length: (block.to - block.from) * n }, (_, q) => entry(block.from + Math.floor(q / n), q % n)));
        assert.deepEqual(block.eta, Float64Array.from({ length: block.to - block.from }, (_, r) => block.from + r + 0.5));
      }
      assert.deepEqual(seen, Array.from({ length: Math.ceil(n / blockRows) }, (_, b) => [b * blockRows, Math.min(n, (b + 1) * blockRows)]), `blocks of ${blockRows}`);
    }
    // the second part said to hold 2 rows: it holds 1
    const wrong = [parts[0], { ...parts[1], rows: 2 }, { ...parts[2], rows: 2 }];
    const read = await readMatrixRowBlocks(wrong, 4);
    await assert.rejects(async () => {
      for await (const _ of read.blocks());
    }, (e: unknown) => e instanceof ElasticityError && e.file === parts[1].file && e.field === 'id' && /holds 1 rows, expected 2/.test(e.message));
    // a part without the steps the others have
    const noEta = await matrixFile(dir, 3);
    const mixed = await readMatrixRowBlocks([parts[0], { file: noEta, rows: 7 }], 4);
    await assert.rejects(async () => {
      for await (const _ of mixed.blocks());
    }, (e: unknown) => e instanceof ElasticityError && e.file === noEta && e.field === 'eta');
  });
});

test('readMatrixRowBlocks: a non-finite value is refused naming the file and column, unless an earlier read already checked the values (finiteChecked)', async () => {
  await withTempDir('row-blocks-', async (dir) => {
    const file = join(dir, 'nan.arrow');
    await writeMatrixBlocks([{ file, header: { kind: 'ntk', columnIds: ids } }], META, n, 3, (from, to) => [{
      rowIds: ids.slice(from, to), values: Float64Array.from({ length: (to - from) * n }, (_, q) => (from + Math.floor(q / n) === 4 && q % n === 2 ? Number.NaN : 1)),
    }]);
    const readAll = async (finiteChecked: boolean) => {
      let count = 0;
      for await (const block of (await readMatrixRowBlocks(file, 2, n, { views: true, finiteChecked })).blocks()) count += block.to - block.from;
      return count;
    };
    await assert.rejects(readAll(false), (e: unknown) => e instanceof ElasticityError && e.file === file && e.field === 'row');
    assert.equal(await readAll(true), n);
  });
});

test('column blocks from row blocks: block a read back is columns [a, a + w) of every row (the transpose\'s row block a); the scratch file is removed', async () => {
  await withTempDir('column-blocks-', async (dir) => {
    const file = await matrixFile(dir, 2);
    for (const [rowsPerBlock, columnsPerBlock] of [[3, 3], [2, 5], [7, 1], [4, 7]]) {
      const scratch = join(dir, 'columns.scratch');
      const columns = await openMatrixColumnBlocks(scratch, n, columnsPerBlock);
      const read = await readMatrixRowBlocks(file, rowsPerBlock, n);
      for await (const block of read.blocks()) await columns.append(block);
      for (let a = 0; a < n; a += columnsPerBlock) {
        const w = Math.min(columnsPerBlock, n - a);
        const got = await columns.read(a, a + w);
        assert.deepEqual(got, Float64Array.from({ length: n * w }, (_, q) => entry(Math.floor(q / w), a + (q % w))), `rows ${rowsPerBlock}, columns ${columnsPerBlock}, block ${a}`);
      }
      await columns.close();
      assert.ok(!(await readdir(dir)).includes('columns.scratch'));
    }
  });
});
