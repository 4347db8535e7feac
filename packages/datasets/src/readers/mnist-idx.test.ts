import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { existsSync } from 'node:fs';
import { withTempDir } from '@elasticity/core/testing';
import { readMnistFolder, findMnistFiles, FASHION_MNIST_DEFAULT_DIR } from './mnist-idx.ts';
import { fakePixels, idxBytes, writeMnistFolder } from './fixtures.ts';
import { IDX_LABELS_MAGIC } from './idx.ts';

test('reads train and test splits of an MNIST-layout folder (gzipped)', async () => {
  await withTempDir('mnist-idx-test-', async (dir) => {
    await writeMnistFolder(dir, { train: { labels: [3, 1, 4, 1, 5] }, test: { labels: [9, 2] } }, { gzip: true, testOffset: 100 });
    const source = await readMnistFolder(dir);
    assert.deepEqual(source.train.shape, [1, 28, 28]);
    assert.equal(source.train.count, 5);
    assert.deepEqual(Array.from(source.train.labels), [3, 1, 4, 1, 5]);
    assert.deepEqual(Array.from(source.train.ids), [0, 1, 2, 3, 4]);
    assert.deepEqual(Array.from(source.train.pixels(3)), Array.from(fakePixels(3, 784)));
    assert.ok(source.test);
    assert.deepEqual(Array.from(source.test.ids), [5, 6], 'test ids continue after train ids');
    assert.deepEqual(Array.from(source.test.pixels(1)), Array.from(fakePixels(101, 784)));
    assert.equal(source.files.length, 4);
  });
});

test('accepts the dotted spelling and raw files; no t10k pair means no test split', async () => {
  await withTempDir('mnist-idx-test-', async (dir) => {
    await writeMnistFolder(dir, { train: { labels: [0, 1], rows: 5, cols: 6 } });
    await rename(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-images.idx3-ubyte'));
    const source = await readMnistFolder(dir);
    assert.deepEqual(source.train.shape, [1, 5, 6]);
    assert.equal(source.test, undefined);
    assert.equal(source.files.length, 2);
  });
});

test('label/image count mismatch names the labels file and the count field', async () => {
  await withTempDir('mnist-idx-test-', async (dir) => {
    await writeMnistFolder(dir, { train: { labels: [0, 1, 2] } });
    const labels = join(dir, 'train-labels-idx1-ubyte');
    await writeFile(labels, idxBytes(IDX_LABELS_MAGIC, [2], Uint8Array.from([0, 1])));
    await assert.rejects(readMnistFolder(dir), (e: unknown) => e instanceof ElasticityError && e.file === labels && e.field === 'count');
  });
});

test('missing files are named', async () => {
  await withTempDir('mnist-idx-test-', async (dir) => {
    assert.throws(() => findMnistFiles(join(dir, 'nope')), (e: unknown) => e instanceof ElasticityError && e.field === 'dataset.path' && /not found/.test(e.message));
    await writeMnistFolder(dir, { train: { labels: [0] }, test: { labels: [1] } });
    await unlink(join(dir, 't10k-labels-idx1-ubyte'));
    assert.throws(() => findMnistFiles(dir), (e: unknown) => e instanceof ElasticityError && /t10k-labels-idx1-ubyte/.test(e.message));
    await unlink(join(dir, 'train-labels-idx1-ubyte'));
    assert.throws(() => findMnistFiles(dir), (e: unknown) => e instanceof ElasticityError && e.file === dir && /train-labels/.test(e.message));
  });
});

test('real Fashion-MNIST (Debian dataset-fashion-mnist), when installed', { skip: !existsSync(FASHION_MNIST_DEFAULT_DIR) && 'not installed' }, async () => {
  const source = await readMnistFolder(FASHION_MNIST_DEFAULT_DIR);
  assert.equal(source.train.count, 60000);
  assert.equal(source.test!.count, 10000);
  assert.deepEqual(source.train.shape, [1, 28, 28]);
  const perClass = new Array(10).fill(0);
  source.train.labels.forEach((l) => perClass[l]++);
  assert.deepEqual(perClass, new Array(10).fill(6000));
});
