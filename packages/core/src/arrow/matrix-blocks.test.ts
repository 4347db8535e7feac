import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '../errors.ts';
import { openMatrixBlockWriter, readMatrixBlocks, writeMatrixBlocks } from './matrix-blocks.ts';
import { matrixRowsWithin } from './matrix-budget.ts';
import { readMatrixFile, writeMatrixFile } from './matrix.ts';
import { withTempDir } from '../testing/temp-dir.ts';

const META = { stage: 'test', params: { a: 1 }, seed: null, inputs: { 'in.bin': 'ff' } };
const columnIds = Int32Array.from([5, 7, 9, 11, 13]);
const header = { kind: 'ntk', columnIds, extra: { row_total: '7', from: 'trained' } };
/** Row r's values: 100 r + c + c/8, exact in float64. */
const rowsOf = (from: number, to: number) => Float64Array.from({ length: (to - from) * 5 }, (_, q) => 100 * (from + Math.floor(q / 5)) + (q % 5) * 1.125);
const idsOf = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, r) => 2 * (from + r) + 1);

test('a matrix written in blocks reads back whole (readMatrixFile) and block by block (readMatrixBlocks), ids, values, eta and metadata kept', async () => {
  await withTempDir('matrix-blocks-', async (dir) => {
    const file = join(dir, 'ntk.arrow');
    const writer = await openMatrixBlockWriter(file, header, META);
    const cuts = [[0, 3], [3, 6], [6, 7]];
    for (const [from, to] of cuts) {
      await writer.append({ rowIds: idsOf(from, to), values: rowsOf(from, to), eta: Float64Array.from({ length: to - from }, (_, r) => 1e-6 * 3 ** (from + r)) });
    }
    assert.deepEqual((await readdir(dir)).filter((f) => f === 'ntk.arrow'), [], 'not under its name before close');
    await writer.close();
    assert.deepEqual(await readdir(dir), ['ntk.arrow'], 'published, no temp file left');

    const { matrix, meta } = await readMatrixFile(file);
    assert.deepEqual(matrix.rowIds, idsOf(0, 7));
    assert.deepEqual(matrix.values, rowsOf(0, 7));
    assert.deepEqual(matrix.columnIds, columnIds);
    assert.equal(matrix.eta![6], 1e-6 * 3 ** 6);
    assert.deepEqual(matrix.extra, header.extra);
    assert.equal(meta.stage, 'test');

    const headerOnly = await readMatrixBlocks(file);
    assert.deepEqual(headerOnly.header.columnIds, columnIds);
    await headerOnly.close();
    const opened = await readMatrixBlocks(file);
    assert.equal(opened.header.kind, 'ntk');
    assert.deepEqual(opened.header.columnIds, columnIds);
    assert.deepEqual(opened.header.extra, header.extra);
    const seen: number[][] = [];
    for await (const block of opened.blocks()) {
      const from = (block.rowIds[0] - 1) / 2;
      seen.push([from, from + block.rowIds.length]);
      assert.deepEqual(block.values, rowsOf(from, from + block.rowIds.length));
      assert.equal(block.eta!.length, block.rowIds.length);
    }
    assert.deepEqual(seen, cuts);
  });
});

test('one block holds the same matrix as writeMatrixFile; blocks of the wrong size or mixed eta are refused; abort leaves nothing', async () => {
  await withTempDir('matrix-blocks-', async (dir) => {
    const whole = join(dir, 'whole.arrow');
    await writeMatrixFile(whole, { ...header, rowIds: idsOf(0, 4), values: rowsOf(0, 4) }, META);
    const blocked = join(dir, 'blocked.arrow');
    const writer = await openMatrixBlockWriter(blocked, header, META);
    await writer.append({ rowIds: idsOf(0, 4), values: rowsOf(0, 4) });
    await writer.close();
    assert.deepEqual((await readMatrixFile(blocked)).matrix, (await readMatrixFile(whole)).matrix);

    const aborted = join(dir, 'aborted.arrow');
    const bad = await openMatrixBlockWriter(aborted, header, META);
    await assert.rejects(bad.append({ rowIds: idsOf(0, 2), values: rowsOf(0, 3) }), /a block of 15 values for 2 x 5/);
    await bad.append({ rowIds: idsOf(0, 1), values: rowsOf(0, 1) });
    await assert.rejects(bad.append({ rowIds: idsOf(1, 2), values: rowsOf(1, 2), eta: Float64Array.of(1) }), /every block has eta, or none/);
    await bad.abort();
    assert.deepEqual((await readdir(dir)).sort(), ['blocked.arrow', 'whole.arrow']);
  });
});

test('readMatrixBlocks: a file that is not Arrow gets one error naming it; a missing one says so', async () => {
  await withTempDir('matrix-blocks-', async (dir) => {
    const junk = join(dir, 'junk.arrow');
    await writeFile(junk, '{"not": "arrow"}');
    await assert.rejects(readMatrixBlocks(junk), (e: unknown) => e instanceof ElasticityError && e.message.includes(junk) && e.field === 'arrow');
    await assert.rejects(readMatrixBlocks(join(dir, 'none.arrow')), (e: unknown) => e instanceof ElasticityError && /file not found/.test(e.message));
  });
});

test('matrixRowsWithin: the rows that fit beside the runtime and the fixed part, each entry counted four times; a budget below one row names the smallest that works', () => {
  const where = { file: 'p.json', field: 'ntk.memoryMb' };
  // (1024 - 320) MiB over rows of 1000 entries x 8 bytes x 4: floor(738197504 / 32000) = 23068
  assert.equal(matrixRowsWithin(1024, { columns: 1000, bytesPerEntry: 8, fixedBytes: 0 }, where), 23068);
  // 400 MiB less 320 and 2 fixed, rows of 40000 x 32 x 4 bytes: floor(78 * 2^20 / 5120000) = 15
  assert.equal(matrixRowsWithin(400, { columns: 40_000, bytesPerEntry: 32, fixedBytes: 2 * 2 ** 20 }, where), 15);
  assert.throws(() => matrixRowsWithin(322, { columns: 40_000, bytesPerEntry: 32, fixedBytes: 2 * 2 ** 20 }, where),
    (e: unknown) => e instanceof ElasticityError && e.field === 'ntk.memoryMb' && /322 MB cannot hold even one row of the 40000-column matrix beside the 322 MB .*give at least 327 MB/.test(e.message));
});

test('readMatrixBlocks: an empty file is not Arrow either', async () => {
  await withTempDir('matrix-blocks-', async (dir) => {
    const empty = join(dir, 'empty.arrow');
    await writeFile(empty, '');
    await assert.rejects(readMatrixBlocks(empty), (e: unknown) => e instanceof ElasticityError && e.message.includes(empty) && e.field === 'arrow');
  });
});

test('writeMatrixBlocks: asks for [from, to) in order, writes every output, and publishes none when a block fails', async () => {
  await withTempDir('matrix-blocks-', async (dir) => {
    const outputs = ['a.arrow', 'b.arrow'].map((name) => ({ file: join(dir, name), header }));
    const asked: number[][] = [];
    await writeMatrixBlocks(outputs, META, 7, 3, (from, to) => {
      asked.push([from, to]);
      return [{ rowIds: idsOf(from, to), values: rowsOf(from, to) }, { rowIds: idsOf(from, to), values: rowsOf(from, to).map((v) => -v) }];
    });
    assert.deepEqual(asked, [[0, 3], [3, 6], [6, 7]]);
    assert.deepEqual((await readMatrixFile(outputs[0].file)).matrix.values, rowsOf(0, 7));
    assert.deepEqual((await readMatrixFile(outputs[1].file)).matrix.values, rowsOf(0, 7).map((v) => -v));

    const failing = ['c.arrow', 'd.arrow'].map((name) => ({ file: join(dir, name), header }));
    await assert.rejects(writeMatrixBlocks(failing, META, 7, 3, (from, to) => {
      if (from >= 3) throw new Error('block failed');
      return [{ rowIds: idsOf(from, to), values: rowsOf(from, to) }, { rowIds: idsOf(from, to), values: rowsOf(from, to) }];
    }), /block failed/);
    assert.deepEqual((await readdir(dir)).sort(), ['a.arrow', 'b.arrow']);
  });
});
