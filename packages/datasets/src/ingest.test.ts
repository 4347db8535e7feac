import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ElasticityError, readDatasetFile, readMatrixBlocks, readMatrixFile } from '@elasticity/core';
import { runIngest, writeSyntheticGeodesics } from './ingest.ts';
import { mnistSampleFiles } from './readers/mnist-sample.ts';
import { fakePixels, writeCifarFolder, writeMnistFolder } from './readers/fixtures.ts';
import { boxGeometry } from './synthetic/folded-boxes.ts';

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'ingest-test-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const count = <T>(items: ArrayLike<T>, pred: (v: T) => boolean) => Array.from(items).filter(pred).length;

test('mnist-sample end to end: dataset.arrow and test.arrow read back', async () => {
  await withDir(async (dir) => {
    const outDir = join(dir, 'run', 'ingest');
    const result = await runIngest({ config: { perClass: 40, testPerClass: 10, seed: 5 }, pipelineFile: 'p.json', outDir });
    assert.equal(result.datasetFile, join(outDir, 'dataset.arrow'));
    assert.equal(result.testFile, join(outDir, 'test.arrow'));
    const { dataset, meta } = await readDatasetFile(result.datasetFile);
    assert.equal(dataset.name, 'mnist-sample 4v9 | 5,7');
    assert.deepEqual(dataset.inputShape, [1, 28, 28]);
    assert.equal(dataset.scaling, '(p/255-0.5)/0.5');
    assert.equal(dataset.ids.length, 160);
    assert.equal(count(dataset.classes, (c) => c === 4), 40);
    assert.equal(count(dataset.classes, (c) => c === 9), 40);
    assert.equal(count(dataset.roles, (r) => r === 'auxiliary'), 80);
    assert.ok(dataset.x.every((v) => v >= -1 && v <= 1));
    assert.equal(meta.stage, 'ingest');
    assert.equal(meta.seed, 5);
    assert.equal(meta.params.perClass, 40);
    assert.deepEqual(Object.keys(meta.inputs).sort(), mnistSampleFiles().map((f) => relative(process.cwd(), f)).sort());
    const test = (await readDatasetFile(result.testFile!)).dataset;
    assert.equal(test.ids.length, 40);
    assert.equal(count(test.roles, (r) => r === 'primary'), 20);
    const trainIds = new Set(dataset.ids);
    assert.ok([...test.ids].every((id) => !trainIds.has(id)), 'test examples are held out');
    // No staging folder left beside the output; the stage's timings file is.
    assert.deepEqual((await readdir(join(dir, 'run'))).sort(), ['ingest', 'ingest.timings.json']);
  });
});

test('synthetic end to end: coordinates, roles, no scaling, no test file', async () => {
  await withDir(async (dir) => {
    const outDir = join(dir, 'ingest');
    const result = await runIngest({ config: { source: 'synthetic', seed: 2, synthetic: { shape: 'folded-boxes', points: 30 } }, pipelineFile: 'p.json', outDir });
    assert.equal(result.testFile, undefined);
    const { dataset } = await readDatasetFile(result.datasetFile);
    assert.deepEqual(dataset.inputShape, [3]);
    assert.equal(dataset.scaling, 'none');
    assert.equal(dataset.coordDim, 2);
    assert.equal(dataset.ids.length, 60);
    for (let i = 0; i < 60; i++) {
      const label = dataset.classes[i] as 0 | 1;
      assert.equal(dataset.target[i], label);
      assert.equal(dataset.roles[i], label === 1 ? 'primary' : 'auxiliary');
      assert.ok(dataset.coord![2 * i] < boxGeometry(label).perimeter);
    }
    assert.ok(!existsSync(join(outDir, 'test.arrow')));
  });
});

test('synthetic ingest writes the geodesic distances of the label-1 points (torus: circular angle difference)', async () => {
  await withDir(async (dir) => {
    const outDir = join(dir, 'ingest');
    const result = await runIngest({ config: { source: 'synthetic', seed: 3, synthetic: { shape: 'torus', points: 12 } }, pipelineFile: 'p.json', outDir });
    assert.equal(result.geodesicFile, join(outDir, 'geodesic.arrow'));
    const { dataset } = await readDatasetFile(result.datasetFile);
    const { matrix, meta } = await readMatrixFile(result.geodesicFile!);
    assert.equal(matrix.kind, 'geodesic');
    assert.equal(meta.stage, 'ingest');
    const primaryRows = [...dataset.roles.keys()].filter((r) => dataset.roles[r] === 'primary');
    assert.equal(primaryRows.length, 12);
    assert.deepEqual([...matrix.rowIds], primaryRows.map((r) => dataset.ids[r]));
    assert.deepEqual([...matrix.columnIds], [...matrix.rowIds]);
    for (let a = 0; a < 12; a++) {
      for (let b = 0; b < 12; b++) {
        // Torus geodesic: the shorter way round the circle between the two angles.
        const d = Math.abs(dataset.coord![primaryRows[a]] - dataset.coord![primaryRows[b]]);
        const expected = Math.min(d, 2 * Math.PI - d);
        assert.ok(Math.abs(matrix.values[a * 12 + b] - expected) < 1e-12, `${a},${b}`);
      }
    }
  });
});

test('a geodesic matrix over its block size is written in row blocks (record batches) equal to the whole matrix, exactly symmetric', async () => {
  await withDir(async (dir) => {
    const outDir = join(dir, 'ingest');
    const result = await runIngest({ config: { source: 'synthetic', seed: 5, synthetic: { shape: 'helix', points: 50 } }, pipelineFile: 'p.json', outDir });
    const { dataset } = await readDatasetFile(result.datasetFile);
    const whole = (await readMatrixFile(result.geodesicFile!)).matrix;
    const file = join(dir, 'blocks.arrow');
    // 7 rows of 50 float64 values a block: 8 blocks
    assert.equal(await writeSyntheticGeodesics(file, 'helix', dataset, { stage: 'ingest', params: {}, seed: 5, inputs: {} }, 8 * 50 * 7), 50);
    let batches = 0;
    for await (const _block of (await readMatrixBlocks(file)).blocks()) batches += 1;
    assert.equal(batches, 8);
    const blocked = (await readMatrixFile(file)).matrix;
    assert.deepEqual(blocked.values, whole.values);
    assert.deepEqual(blocked.rowIds, whole.rowIds);
    for (let a = 0; a < 50; a++) for (let b = 0; b < 50; b++) assert.equal(blocked.values[a * 50 + b], blocked.values[b * 50 + a]);
  });
});

test('image sources write no geodesic file', async () => {
  await withDir(async (dir) => {
    const r = await runIngest({ config: { perClass: 5, testPerClass: 0 }, pipelineFile: 'p.json', outDir: join(dir, 'out') });
    assert.equal(r.geodesicFile, undefined);
    assert.ok(!existsSync(join(dir, 'out', 'geodesic.arrow')));
  });
});

test('MNIST IDX folder (gzipped, relative path) end to end', async () => {
  await withDir(async (dir) => {
    const raw = join(dir, 'mnist');
    const labels = Array.from({ length: 60 }, (_, i) => i % 10);
    await writeMnistFolder(raw, { train: { labels }, test: { labels: labels.slice(0, 30) } }, { gzip: true, testOffset: 60 });
    const config = { source: 'mnist', path: relative(process.cwd(), raw), primary: [3, 8], auxiliary: [5, 7], perClass: 4, testPerClass: 2 };
    const r = await runIngest({ config, pipelineFile: 'p.json', outDir: join(dir, 'out') });
    const { dataset, meta } = await readDatasetFile(r.datasetFile);
    assert.equal(dataset.name, 'mnist 3v8 | 5,7');
    assert.equal(dataset.ids.length, 16);
    assert.equal(Object.keys(meta.inputs).length, 4);
    // Train ids are file positions; the first 4 of each primary class, the first 8 of {5, 7} in file order.
    const sorted = (role: string) => [...dataset.ids].filter((_, k) => dataset.roles[k] === role).sort((a, b) => a - b);
    assert.deepEqual(sorted('primary'), [3, 8, 13, 18, 23, 28, 33, 38]);
    assert.deepEqual(sorted('auxiliary'), [5, 7, 15, 17, 25, 27, 35, 37]);
    const k = [...dataset.ids].indexOf(17);
    const expected = Array.from(fakePixels(17, 784), (p) => Math.fround((p / 255 - 0.5) / 0.5));
    assert.deepEqual(Array.from(dataset.x.subarray(784 * k, 784 * (k + 1))), expected);
    const test = (await readDatasetFile(r.testFile!)).dataset;
    // Test ids continue after the 60 train examples.
    assert.deepEqual([...test.ids].sort((a, b) => a - b), [60 + 3, 60 + 5, 60 + 7, 60 + 8, 60 + 13, 60 + 15, 60 + 17, 60 + 18]);
  });
});

test('split "all": train and test splits as one pool in dataset order, held-out examples the next ones after the selection', async () => {
  await withDir(async (dir) => {
    const raw = join(dir, 'mnist');
    // train: 60 examples, label i % 10 (ids 0..59); test: 30, label i % 10 (ids 60..89)
    const labels = Array.from({ length: 60 }, (_, i) => i % 10);
    await writeMnistFolder(raw, { train: { labels }, test: { labels: labels.slice(0, 30) } }, { testOffset: 60 });
    // 7 threes: the train split has 6 (ids 3, 13, ..., 53), so the 7th is the test split's first (id 63)
    const config = { source: 'mnist', path: raw, primary: [3, 8], auxiliary: [5], perClass: 7, auxiliaryCount: 7, testPerClass: 1, split: 'all' };
    const r = await runIngest({ config, pipelineFile: 'p.json', outDir: join(dir, 'out') });
    const { dataset } = await readDatasetFile(r.datasetFile);
    assert.equal(dataset.name, 'mnist (train + test) 3v8 | 5');
    const sorted = (ds: typeof dataset, c: number) => [...ds.ids].filter((_, k) => ds.classes[k] === c).sort((a, b) => a - b);
    assert.deepEqual(sorted(dataset, 3), [3, 13, 23, 33, 43, 53, 63]);
    assert.deepEqual(sorted(dataset, 8), [8, 18, 28, 38, 48, 58, 68]);
    assert.deepEqual(sorted(dataset, 5), [5, 15, 25, 35, 45, 55, 65]);
    // held out: the next three and eight, and the next two fives, none of them selected for training
    const test = (await readDatasetFile(r.testFile!)).dataset;
    assert.deepEqual(sorted(test, 3), [73]);
    assert.deepEqual(sorted(test, 8), [78]);
    assert.deepEqual(sorted(test, 5), [75, 85]);
    assert.equal(test.ids.length, 4);
    // not enough left for the held-out fives: the error names the field
    await assert.rejects(
      runIngest({ config: { ...config, testPerClass: 2 }, pipelineFile: 'p.json', outDir: join(dir, 'out2') }),
      (e: unknown) => e instanceof ElasticityError && /auxiliary classes 5 have 2 examples left in the train \+ test split, 4 needed/.test(e.message) && e.field === 'dataset.testPerClass',
    );
  });
});

test('CIFAR-10 folder with class names end to end', async () => {
  await withDir(async (dir) => {
    const raw = join(dir, 'cifar');
    await writeCifarFolder(raw, [[1, 2, 3], [2, 2], [3, 1, 0], [2], [9, 3, 1]], [1, 3, 2, 2, 0]);
    const config = { source: 'cifar10', path: raw, primary: ['car', 'cat'], auxiliary: ['bird'], perClass: 2, testPerClass: 1 };
    const r = await runIngest({ config, pipelineFile: 'p.json', outDir: join(dir, 'out') });
    const { dataset, meta } = await readDatasetFile(r.datasetFile);
    assert.equal(dataset.name, 'cifar10 automobile v cat | bird');
    assert.deepEqual(dataset.inputShape, [3, 32, 32]);
    assert.deepEqual(meta.params.primary, [1, 3]);
    assert.deepEqual([...dataset.classes].sort(), [1, 1, 2, 2, 2, 2, 3, 3]);
    assert.equal((await readDatasetFile(r.testFile!)).dataset.ids.length, 4);
  });
});

test('same seed gives the same file contents; another seed another order', async () => {
  await withDir(async (dir) => {
    const run = async (seed: number, name: string) =>
      (await readDatasetFile((await runIngest({ config: { perClass: 30, testPerClass: 0, seed }, pipelineFile: 'p.json', outDir: join(dir, name) })).datasetFile)).dataset;
    const a = await run(1, 'a');
    const b = await run(1, 'b');
    const c = await run(2, 'c');
    assert.deepEqual(a.ids, b.ids);
    assert.deepEqual(a.x, b.x);
    assert.notDeepEqual(a.ids, c.ids);
    assert.deepEqual([...a.ids].sort(), [...c.ids].sort());
    assert.ok(!existsSync(join(dir, 'a', 'test.arrow')), 'testPerClass 0 writes no test file');
  });
});

test('a failing ingest leaves no output folder', async () => {
  await withDir(async (dir) => {
    const outDir = join(dir, 'ingest');
    const isError = (field: string) => (e: unknown) => e instanceof ElasticityError && e.field === field;
    // Too few examples: fails inside the stage.
    await assert.rejects(runIngest({ config: { perClass: 5000 }, pipelineFile: 'p.json', outDir }), isError('dataset.perClass'));
    assert.ok(!existsSync(outDir));
    assert.deepEqual(await readdir(dir), [], 'no staging folder left');
    // A stale earlier output is removed too when the new request fails (bad config, missing raw folder).
    await mkdir(outDir);
    await writeFile(join(outDir, 'dataset.arrow'), 'old');
    await assert.rejects(runIngest({ config: { primary: [4, 'x'] }, pipelineFile: 'p.json', outDir }), isError('dataset.primary[1]'));
    assert.ok(!existsSync(outDir));
    await assert.rejects(
      runIngest({ config: { source: 'mnist', path: join(dir, 'absent') }, pipelineFile: 'p.json', outDir }),
      (e: unknown) => e instanceof ElasticityError && e.file === join(dir, 'absent'),
    );
    assert.deepEqual(await readdir(dir), []);
  });
});

test('a failing first ingest of a pipeline leaves no empty data/NAME/ folder, and its earlier timings file goes with its output', async () => {
  await withDir(async (dir) => {
    await mkdir(join(dir, 'data'));
    const outDir = join(dir, 'data', 'p', 'ingest');
    await assert.rejects(runIngest({ config: { perClass: 5000 }, pipelineFile: 'p.json', outDir }), (e: unknown) => e instanceof ElasticityError && e.field === 'dataset.perClass');
    assert.deepEqual(await readdir(join(dir, 'data')), [], 'data/p/ was made by the failed ingest: gone');
    await runIngest({ config: { perClass: 5, testPerClass: 0 }, pipelineFile: 'p.json', outDir });
    assert.deepEqual((await readdir(join(dir, 'data', 'p'))).sort(), ['ingest', 'ingest.timings.json']);
    await assert.rejects(runIngest({ config: { perClass: 5000 }, pipelineFile: 'p.json', outDir }));
    assert.deepEqual(await readdir(join(dir, 'data', 'p')), [], 'data/p/ held other outputs before: kept, emptied of this stage');
  });
});
