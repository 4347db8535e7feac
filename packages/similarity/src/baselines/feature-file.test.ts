import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, FixedSizeList, Float32, Float64, Int16, Int32, Table, makeData, tableToIPC, RecordBatch, Schema, Struct } from 'apache-arrow';
import { ElasticityError, writeFeaturesFile } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { readUserFeatures } from './feature-file.ts';

const meta = { stage: 'test', params: {}, seed: 0, inputs: {} };

/** A plain Arrow file (no toolkit metadata): id (Int32 or Int16) and x FixedSizeList<Float32>[dim]. */
async function plainFile(file: string, ids: number[], x: number[], dim: number, idType: 'int32' | 'int16' = 'int32', float: 'f32' | 'f64' = 'f32'): Promise<void> {
  const child = float === 'f32' ? new Float32() : new Float64();
  const listType = new FixedSizeList(dim, new Field('item', child, false));
  const childData = makeData({ type: child, length: x.length, nullCount: 0, data: float === 'f32' ? Float32Array.from(x) : Float64Array.from(x) });
  const xData = makeData({ type: listType, length: ids.length, nullCount: 0, child: childData });
  const idData = idType === 'int32'
    ? makeData({ type: new Int32(), length: ids.length, nullCount: 0, data: Int32Array.from(ids) })
    : makeData({ type: new Int16(), length: ids.length, nullCount: 0, data: Int16Array.from(ids) });
  const schema = new Schema([new Field('id', idData.type, false), new Field('x', listType, false)]);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: ids.length, nullCount: 0, children: [idData, xData] }));
  await writeFile(file, tableToIPC(new Table(schema, [batch]), 'file'));
}

test('a plain Arrow table (Float32 lists, extra rows, any order) gives the rows of the primary ids in order', async () => {
  await withTempDir('features-test-', async (root) => {
    const file = join(root, 'resnet.arrow');
    // Rows for ids 7, 5, 9, 6 (id 9 is not primary); vectors (id, -id).
    await plainFile(file, [7, 5, 9, 6], [7, -7, 5, -5, 9, -9, 6, -6], 2);
    const f = await readUserFeatures(file, Int32Array.of(5, 6, 7), 'resnet');
    assert.equal(f.kind, 'resnet');
    assert.equal(f.dim, 2);
    assert.ok(f.values instanceof Float64Array);
    assert.deepEqual(Array.from(f.ids), [5, 6, 7]);
    assert.deepEqual(Array.from(f.values), [5, -5, 6, -6, 7, -7]);
  });
});

test('a features file of this toolkit (Float64 lists) is read the same way', async () => {
  await withTempDir('features-test-', async (root) => {
    const file = join(root, 'f.arrow');
    await writeFeaturesFile(file, { kind: 'pca', ids: Int32Array.of(3, 1), values: Float64Array.of(0.5, 1.5, 2.5, 3.5, 4.5, 5.5), dim: 3 }, meta);
    const f = await readUserFeatures(file, Int32Array.of(1, 3), 'mine');
    assert.deepEqual(Array.from(f.values), [3.5, 4.5, 5.5, 0.5, 1.5, 2.5]);
  });
});

test('missing ids, repeated ids, wrong types, NaN and a missing file are clear errors naming file and field', async () => {
  await withTempDir('features-test-', async (root) => {
    const file = join(root, 'u.arrow');
    const rejects = async (ids: Int32Array, re: RegExp) => assert.rejects(readUserFeatures(file, ids, 'u'), (e: unknown) => e instanceof ElasticityError && re.test(e.message), String(re));
    await plainFile(file, [1, 2], [0, 0, 1, 1], 2);
    await rejects(Int32Array.of(1, 2, 3, 4), new RegExp(`^${file.replace(/[.]/g, '\\.')}: id: has no row for 2 of the 4 primary examples \\(ids 3, 4\\)`));
    await plainFile(file, [1, 1], [0, 0, 1, 1], 2);
    await rejects(Int32Array.of(1), /id: example id 1 has two rows \(0 and 1\)/);
    await plainFile(file, [1, 2], [0, 0, 1, 1], 2, 'int16');
    await rejects(Int32Array.of(1), /id: column has type Int16, expected Int32/);
    await plainFile(file, [1, 2], [0, Number.NaN, 1, 1], 2, 'int32', 'f64');
    await rejects(Int32Array.of(1, 2), /x: non-finite value NaN in the row of example 1/);
    // A NaN in the row of an example that is not asked for does not matter.
    assert.deepEqual(Array.from((await readUserFeatures(file, Int32Array.of(2), 'u')).values), [1, 1]);
    await assert.rejects(readUserFeatures(join(root, 'none.arrow'), Int32Array.of(1), 'u'), (e: unknown) => e instanceof ElasticityError && /none\.arrow: file not found/.test(e.message));
  });
});
