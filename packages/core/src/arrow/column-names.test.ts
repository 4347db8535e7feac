import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.ts';
import { ElasticityError } from '../errors.ts';
import { readArrowSchema, readColumnNames } from './column-names.ts';
import { readArrowTable } from './table-io.ts';
import { writeMatrixFile } from './matrix.ts';
import { writeFeaturesFile } from './features.ts';

const META = { stage: 'test', params: {}, seed: null, inputs: {} };

test('readColumnNames and readArrowSchema: a matrix file\'s and a features file\'s columns and metadata from the schema; a missing or non-Arrow file names the file and field', async () => {
  await withTempDir('column-names-', async (dir) => {
    const ids = Int32Array.of(1, 2);
    await writeMatrixFile(join(dir, 'm.arrow'), { kind: 'ntk', rowIds: ids, columnIds: ids, values: Float64Array.of(1, 2, 3, 4) }, META);
    await writeFeaturesFile(join(dir, 'f.arrow'), { kind: 'raw', ids, values: Float64Array.of(0.5, 1.5), dim: 1 }, META);
    assert.deepEqual(await readColumnNames(join(dir, 'm.arrow')), ['id', 'row']);
    assert.deepEqual(await readColumnNames(join(dir, 'f.arrow')), ['id', 'x']);
    // the metadata too, as the whole file's schema has it (checkInputChain reads large inputs so)
    for (const name of ['m.arrow', 'f.arrow']) {
      const metadata = (await readArrowSchema(join(dir, name))).metadata;
      assert.ok(metadata.size > 2);
      assert.deepEqual(metadata, (await readArrowTable(join(dir, name))).schema.metadata);
    }
    await writeFile(join(dir, 'bad.arrow'), 'not arrow at all');
    await assert.rejects(readColumnNames(join(dir, 'bad.arrow')), (e: unknown) => e instanceof ElasticityError && e.field === 'arrow' && e.file === join(dir, 'bad.arrow'));
    await assert.rejects(readColumnNames(join(dir, 'none.arrow')), (e: unknown) => e instanceof ElasticityError && e.field === 'path' && /file not found/.test(e.message));
  });
});
