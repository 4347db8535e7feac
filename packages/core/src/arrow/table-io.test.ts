import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, Float32, Int32, RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from 'apache-arrow';
import { writeDatasetFile, readDatasetFile } from './dataset.ts';
import { writeMatrixFile, readMatrixFile, assertSquare } from './matrix.ts';
import { readContractFile, encodeContractTable } from './table-io.ts';
import { DATASET_CONTRACT, MATRIX_CONTRACT, TRAINING_METRICS_CONTRACT } from './contract.ts';
import { ElasticityError } from '../errors.ts';
import { withTempDir } from '../testing/temp-dir.ts';
import type { Dataset } from './dataset.ts';

const META = { stage: 'test', params: { a: 1 }, seed: 7, inputs: { 'in.bin': 'ff' } };

function smallDataset(): Dataset {
  const n = 4, d = 6;
  return {
    name: 'toy', inputShape: [2, 3], scaling: 'none', ids: Int32Array.from([10, 11, 12, 13]),
    x: Float32Array.from({ length: n * d }, (_, i) => i / 10 - 1), d,
    target: Float32Array.from([1, 1, 0, 0]), classes: Int16Array.from([4, 9, 5, 7]),
    roles: ['primary', 'primary', 'auxiliary', 'auxiliary'],
    coord: Float64Array.from([0.5, -0.5, 1.5, 2.5]), coordDim: 1,
  };
}

async function rejectsNaming(promise: Promise<unknown>, file: string, field: string | RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof ElasticityError, `expected ElasticityError, got ${e}`);
    assert.ok(e.message.includes(file), `message names the file: ${e.message}`);
    if (typeof field === 'string') assert.equal(e.field, field, e.message);
    else assert.match(e.message, field);
    return true;
  });
}

test('dataset round trip keeps every column, the metadata and float32 bits', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const file = join(dir, 'dataset.arrow');
    const ds = smallDataset();
    await writeDatasetFile(file, ds, META);
    const { dataset, meta } = await readDatasetFile(file);
    assert.deepEqual(Array.from(dataset.ids), [10, 11, 12, 13]);
    assert.deepEqual(dataset.x, ds.x);
    assert.equal(dataset.d, 6);
    assert.deepEqual(dataset.inputShape, [2, 3]);
    assert.deepEqual(dataset.roles, ds.roles);
    assert.deepEqual(Array.from(dataset.classes), [4, 9, 5, 7]);
    assert.deepEqual(dataset.coord, ds.coord);
    assert.equal(dataset.coordDim, 1);
    assert.equal(meta.stage, 'test');
    assert.equal(meta.seed, 7);
    assert.deepEqual(meta.params, { a: 1 });
    assert.deepEqual(meta.inputs, { 'in.bin': 'ff' });
    assert.equal(meta.schemaVersion, DATASET_CONTRACT.schemaVersion);
  });
});

test('matrix round trip and squareness check', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const file = join(dir, 'm.arrow');
    const values = Float64Array.from([1, 0.25, 0.25, 1]);
    await writeMatrixFile(file, { kind: 'ntk', rowIds: Int32Array.from([3, 8]), columnIds: Int32Array.from([3, 8]), values, eta: Float64Array.from([1e-6, 3e-6]), extra: { loss: 'mse' } }, META);
    const { matrix } = await readMatrixFile(file);
    assert.equal(matrix.kind, 'ntk');
    assert.deepEqual(matrix.values, values);
    assert.deepEqual(Array.from(matrix.eta!), [1e-6, 3e-6]);
    assert.equal(matrix.extra?.loss, 'mse');
    assert.doesNotThrow(() => assertSquare(matrix, file));
    assert.throws(() => assertSquare({ ...matrix, columnIds: Int32Array.from([8, 3]) }, file), ElasticityError);
  });
});

test('a missing file is one clear error naming it', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const file = join(dir, 'nope.arrow');
    await rejectsNaming(readDatasetFile(file), file, /file not found/);
  });
});

test('garbage and truncated files are rejected as unreadable Arrow', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const good = join(dir, 'good.arrow');
    await writeDatasetFile(good, smallDataset(), META);
    const bytes = await readFile(good);
    const garbage = join(dir, 'garbage.arrow');
    await writeFile(garbage, Buffer.from('definitely not arrow'));
    await rejectsNaming(readDatasetFile(garbage), garbage, 'arrow');
    const truncated = join(dir, 'truncated.arrow');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await rejectsNaming(readDatasetFile(truncated), truncated, 'arrow');
  });
});

test('wrong schema: a matrix file read as a dataset names the missing column', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const file = join(dir, 'm.arrow');
    await writeMatrixFile(file, { kind: 'ntk', rowIds: Int32Array.from([1]), columnIds: Int32Array.from([1]), values: Float64Array.from([2]) }, META);
    await rejectsNaming(readDatasetFile(file), file, /metadata key "name" missing|column missing/);
  });
});

test('wrong column type is named', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const file = join(dir, 'bad-type.arrow');
    // id written as Float32 instead of Int32.
    const fields = [new Field('id', new Float32(), false), new Field('row', new Int32(), false)];
    const meta = new Map([['stage', 'x'], ['schema_version', '1'], ['params', '{}'], ['seed', '0'], ['inputs', '{}'], ['kind', 'ntk'], ['column_ids', '[1]']]);
    const schema = new Schema(fields, meta);
    const children = [makeData({ type: new Float32(), length: 1, data: Float32Array.from([1]) }), makeData({ type: new Int32(), length: 1, data: Int32Array.from([1]) })];
    const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: 1, children }));
    await writeFile(file, tableToIPC(new Table(schema, [batch]), 'file'));
    await rejectsNaming(readMatrixFile(file), file, 'id');
  });
});

test('NaN values are rejected with the field and row', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const file = join(dir, 'nan.arrow');
    const ds = smallDataset();
    ds.x[2 * 6 + 1] = Number.NaN;
    await writeDatasetFile(file, ds, META);
    await rejectsNaming(readDatasetFile(file), file, 'x');
    await assert.rejects(readDatasetFile(file), /row 2/);
  });
});

test('an unsupported schema_version is refused', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const file = join(dir, 'v2.arrow');
    const bytes = encodeContractTable({ ...MATRIX_CONTRACT, schemaVersion: 2 }, { id: Int32Array.from([1]), row: Float64Array.from([1]) }, {
      ...META, extra: { kind: 'ntk', column_ids: '[1]' },
    });
    await writeFile(file, bytes);
    await rejectsNaming(readContractFile(file, MATRIX_CONTRACT), file, 'schema_version');
  });
});

test('dataset-level checks: role, target, ids, input_shape', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const cases: Array<[string, (d: Dataset) => void, string]> = [
      ['role', (d) => { d.roles[1] = 'test' as never; }, 'role'],
      ['target', (d) => { d.target[0] = 0.5; }, 'target'],
      ['id', (d) => { d.ids[1] = d.ids[0]; }, 'id'],
      ['shape', (d) => { d.inputShape = [5]; }, 'x'],
    ];
    for (const [name, mutate, field] of cases) {
      const file = join(dir, `${name}.arrow`);
      const ds = smallDataset();
      mutate(ds);
      await writeDatasetFile(file, ds, META);
      await rejectsNaming(readDatasetFile(file), file, field);
    }
  });
});

test('a file of several record batches reads as one flat array', async () => {
  await withTempDir('core-arrow-', async (dir) => {
    const file = join(dir, 'batches.arrow');
    const one = encodeContractTable(MATRIX_CONTRACT, { id: Int32Array.from([1, 2]), row: Float64Array.from([1, 2, 3, 4]) }, { ...META, extra: { kind: 'k', column_ids: '[1,2]' } });
    const { tableFromIPC } = await import('apache-arrow');
    const t = tableFromIPC(one);
    const two = new Table(t.schema, [...t.batches, ...t.batches]);
    await writeFile(file, tableToIPC(two, 'file'));
    const r = await readContractFile(file, MATRIX_CONTRACT);
    assert.equal(r.rows, 4);
    assert.deepEqual(Array.from(r.columns.row as Float64Array), [1, 2, 3, 4, 1, 2, 3, 4]);
    assert.deepEqual(Array.from(r.columns.id as Int32Array), [1, 2, 1, 2]);
  });
});

test('a corrupt file that sends apache-arrow into an endless loop is stopped with a clear error', { timeout: 30_000 }, async () => {
  // Found by tools/fuzz: one byte of the schema flatbuffer's root offset changed.
  const file = new URL('./testdata/loops-apache-arrow.arrow', import.meta.url).pathname;
  await rejectsNaming(readContractFile(file, TRAINING_METRICS_CONTRACT), file, 'arrow');
  await assert.rejects(readContractFile(file, TRAINING_METRICS_CONTRACT), /did not finish within [\d.]+ s/);
});
