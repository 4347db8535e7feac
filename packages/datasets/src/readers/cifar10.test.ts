import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { readCifarBatch, readCifar10Folder, findCifar10Files } from './cifar10.ts';
import { cifarBytes, fakePixels, writeCifarFolder } from './fixtures.ts';

test('a 3-record batch: labels and channel-major pixel bytes', async () => {
  await withTempDir('cifar-test-', async (dir) => {
    const file = join(dir, 'b.bin');
    await writeFile(file, cifarBytes([6, 9, 0]));
    const bytes = await readCifarBatch(file);
    assert.equal(bytes.length, 3 * 3073);
    assert.deepEqual([bytes[0], bytes[3073], bytes[6146]], [6, 9, 0]);
  });
});

test('reads the five train batches in order, then the test batch', async () => {
  await withTempDir('cifar-test-', async (dir) => {
    await writeCifarFolder(dir, [[1, 2, 3], [4], [5, 6], [7], [8, 9]], [3, 0]);
    const source = await readCifar10Folder(dir);
    assert.deepEqual(source.train.shape, [3, 32, 32]);
    assert.equal(source.train.count, 9);
    assert.deepEqual(Array.from(source.train.labels), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Record 5 is the second of data_batch_3: its pixels follow its label byte.
    assert.deepEqual(Array.from(source.train.pixels(5)), Array.from(fakePixels(5, 3072)));
    assert.equal(source.train.pixels(8).length, 3072);
    assert.ok(source.test);
    assert.deepEqual(Array.from(source.test.labels), [3, 0]);
    assert.deepEqual(Array.from(source.test.ids), [9, 10]);
    assert.deepEqual(Array.from(source.test.pixels(1)), Array.from(fakePixels(1001, 3072)));
    assert.equal(source.files.length, 6);
  });
});

test('truncated files, empty files and bad labels are rejected by file and field', async () => {
  await withTempDir('cifar-test-', async (dir) => {
    const truncated = join(dir, 'truncated.bin');
    await writeFile(truncated, cifarBytes([1, 2, 3]).subarray(0, 3 * 3073 - 1));
    await assert.rejects(readCifarBatch(truncated), (e: unknown) => e instanceof ElasticityError && e.file === truncated && e.field === 'length');
    const empty = join(dir, 'empty.bin');
    await writeFile(empty, new Uint8Array(0));
    await assert.rejects(readCifarBatch(empty), (e: unknown) => e instanceof ElasticityError && e.field === 'length');
    const bad = join(dir, 'bad.bin');
    await writeFile(bad, cifarBytes([1, 10, 3]));
    await assert.rejects(readCifarBatch(bad), (e: unknown) => e instanceof ElasticityError && e.file === bad && e.field === 'label' && /record 1/.test(e.message));
  });
});

test('a missing train batch is named; a missing test batch means no test split', async () => {
  await withTempDir('cifar-test-', async (dir) => {
    await writeCifarFolder(dir, [[1], [2], [3], [4], [5]]);
    assert.equal((await readCifar10Folder(dir)).test, undefined);
    await unlink(join(dir, 'data_batch_4.bin'));
    assert.throws(() => findCifar10Files(dir), (e: unknown) => e instanceof ElasticityError && e.file === join(dir, 'data_batch_4.bin'));
  });
});
