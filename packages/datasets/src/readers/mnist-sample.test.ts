import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readMnistSample, mnistSampleFiles, MNIST_SAMPLE_TRAIN_FRACTION } from './mnist-sample.ts';

test('the embedded sample: 10,000 digits, counts per class, splits and ids', async () => {
  const source = await readMnistSample();
  const files = mnistSampleFiles();
  // Independent read of the package's JSON files.
  const raw = files.map((f) => JSON.parse(readFileSync(f, 'utf8')).data as number[]);
  const counts = raw.map((d) => d.length / 784);
  assert.equal(counts.reduce((a, b) => a + b, 0), 10000);
  const perClass = (labels: Uint8Array) => Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);
  assert.deepEqual(perClass(source.all.labels), counts);
  const train = perClass(source.train.labels);
  const testCounts = perClass(source.test!.labels);
  counts.forEach((c, digit) => {
    assert.equal(train[digit], Math.floor(MNIST_SAMPLE_TRAIN_FRACTION * c));
    assert.equal(train[digit] + testCounts[digit], c);
  });
  // Ids: digit-major index; train and test are disjoint and together cover 0..9999.
  const ids = [...source.train.ids, ...source.test!.ids].sort((a, b) => a - b);
  assert.deepEqual(ids, Array.from({ length: 10000 }, (_, i) => i));
  const firstId = counts.map((_, d) => counts.slice(0, d).reduce((a, b) => a + b, 0));
  for (const k of [0, 1, 17, 1000, source.test!.count - 1]) {
    const id = source.test!.ids[k];
    const digit = source.test!.labels[k];
    const j = id - firstId[digit];
    assert.ok(j >= train[digit] && j < counts[digit], 'test examples are the last ones of their digit file');
    const expected = raw[digit].slice(j * 784, (j + 1) * 784).map((v) => Math.round(v * 255));
    assert.deepEqual(Array.from(source.test!.pixels(k)), expected);
  }
  // Round-robin order: the first ten train examples are digits 0..9, each its file's first image.
  assert.deepEqual(Array.from(source.train.labels.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(source.train.ids.subarray(0, 10)), firstId);
  // Values in range: every pixel byte is round(v * 255) of a value in [0, 1].
  let max = 0;
  for (let k = 0; k < source.all.count; k += 97) for (const p of source.all.pixels(k)) max = Math.max(max, p);
  assert.ok(max > 200 && max <= 255);
});
