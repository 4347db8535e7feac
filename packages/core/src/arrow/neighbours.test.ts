import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.ts';
import { ElasticityError } from '../errors.ts';
import { NEIGHBOURS_CONTRACT } from './contract.ts';
import { writeFeaturesFile } from './features.ts';
import { readContractFile, writeContractFile } from './table-io.ts';
import { readNeighboursFile, writeNeighboursFile, NEIGHBOURS_ORDER } from './neighbours.ts';

const META = { stage: 'similarity', params: { neighbours: { k: 1 } }, seed: null, inputs: { 'probe/relative.arrow': 'ab' } };

test('a neighbours file round-trips through its contract: ids, Int32 neighbour lists, values, kind, k and order', async () => {
  await withTempDir('neighbours-io-', async (dir) => {
    const file = join(dir, 'neighbours-relative.arrow');
    const written = {
      kind: 'relative', k: 1, ids: Int32Array.of(7, 3, 9),
      neighbourIds: Int32Array.of(3, 9, 9, 7, 3, 7),
      values: Float64Array.of(0.5, 0.25, 1.5, -2, 0.125, 0.0625),
    };
    await writeNeighboursFile(file, written, META);
    const { neighbours, meta } = await readNeighboursFile(file);
    assert.deepEqual(neighbours, written);
    assert.equal(meta.stage, 'similarity');
    assert.deepEqual(meta.inputs, META.inputs);
    assert.equal(meta.extra.order, NEIGHBOURS_ORDER);
    // The list column is an Arrow FixedSizeList<Int32> of 2k, as the contract says.
    const t = await readContractFile(file, NEIGHBOURS_CONTRACT);
    assert.equal(t.listSizes.neighbour_ids, 2);
    assert.ok(t.columns.neighbour_ids instanceof Int32Array);
  });
});

test('a file that is not a neighbours file, or whose k does not fit its rows, is one error naming the file and field', async () => {
  await withTempDir('neighbours-io-', async (dir) => {
    const features = join(dir, 'raw.arrow');
    await writeFeaturesFile(features, { kind: 'raw', ids: Int32Array.of(1), values: Float64Array.of(1, 2), dim: 2 }, META);
    await assert.rejects(readNeighboursFile(features), (e: unknown) => e instanceof ElasticityError && e.file === features && e.field === 'metadata'
      && /metadata key "k" missing: not a neighbours file/.test(e.message));

    const badK = join(dir, 'bad-k.arrow');
    await writeContractFile(badK, NEIGHBOURS_CONTRACT, { id: Int32Array.of(1), neighbour_ids: Int32Array.of(2, 3), values: Float64Array.of(1, 0) }, {
      ...META, extra: { kind: 'relative', k: '2', order: NEIGHBOURS_ORDER },
    });
    await assert.rejects(readNeighboursFile(badK), (e: unknown) => e instanceof ElasticityError && e.file === badK && e.field === 'neighbour_ids'
      && /rows have 2 entries, expected 2k = 4/.test(e.message));
  });
});
