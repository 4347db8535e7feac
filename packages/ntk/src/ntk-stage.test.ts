import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, ElasticityError, initBackend, loadModelDir, readFeaturesFile, readMatrixBlocks, readMatrixFile, saveModelDir, trainedOnRecord, writeDatasetFile } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { readDenseMlp, readMlpNet } from '@elasticity/mlp-engine';
import type { Dataset } from '@elasticity/core';
import { rowRelativeError, withTempDir } from '@elasticity/core/testing';
import { genericNtk } from './generic-ntk.ts';
import { reluInfiniteNtk } from './infinite-ntk.ts';
import { mlpNetNtk, mlpNtk } from './mlp-ntk.ts';
import { parseNtkConfig } from './ntk-config.ts';
import { mergeNtkShards, runNtk } from './ntk-stage.ts';
import { kernelDiagonal } from './ntk-diagonal.ts';
import { netToModel, randomNet } from './test-support.ts';

await initBackend();

test('parseNtkConfig applies defaults and names the bad key', () => {
  const defaults = { kind: ['empirical'], from: 'trained', method: 'auto', precision: 'auto', sigmaW2: 2, sigmaB2: 0, depth: 'model', memoryMb: 4096, shards: 1, mode: 'full' };
  assert.deepEqual(parseNtkConfig(undefined, 'p.json'), defaults);
  assert.deepEqual(parseNtkConfig({ from: 'init', kind: 'infinite', depth: 3 }, 'p.json'), { ...defaults, from: 'init', kind: ['infinite'], depth: 3 });
  assert.deepEqual(parseNtkConfig({ kind: ['infinite', 'empirical'], method: 'generic', shards: 4 }, 'p.json').kind, ['infinite', 'empirical']);
  const bad: Array<[unknown, string]> = [
    [{ kind: 'finite' }, 'ntk.kind'], [{ kind: ['empirical', 'empirical'] }, 'ntk.kind'], [{ kind: [7] }, 'ntk.kind[0]'], [{ from: 'x' }, 'ntk.from'],
    [{ eta: 1 }, 'ntk.eta'], ['x', 'ntk'], [{ method: 'exact' }, 'ntk.method'], [{ precision: 'float16' }, 'ntk.precision'], [{ sigmaW2: 0 }, 'ntk.sigmaW2'],
    [{ sigmaB2: -1 }, 'ntk.sigmaB2'], [{ depth: 1.5 }, 'ntk.depth'], [{ memoryMb: 0 }, 'ntk.memoryMb'], [{ shards: 0 }, 'ntk.shards'],
    [{ mode: 'diag' }, 'ntk.mode'], [{ mode: 'diagonal', shards: 2 }, 'ntk.shards'],
  ];
  for (const [section, field] of bad) {
    assert.throws(() => parseNtkConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && e.message.startsWith(`p.json: ${field}:`), JSON.stringify(section));
  }
});

async function fixture(root: string): Promise<{ x: Float32Array; primaryX: Float32Array; d: number }> {
  const rng = createRng(4);
  const d = 3, n = 9;
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const roles = Array.from({ length: n }, (_, i) => (i === 2 || i === 5 ? 'auxiliary' : 'primary') as 'primary' | 'auxiliary');
  const dataset: Dataset = {
    name: 'tiny', inputShape: [d], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => 10 * i), x, d,
    target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)), classes: new Int16Array(n), roles,
  };
  await writeDatasetFile(join(root, 'dataset.arrow'), dataset, { stage: 'ingest', params: {}, seed: 0, inputs: {} });
  const primaryX = Float32Array.from([0, 1, 3, 4, 6, 7, 8].flatMap((i) => Array.from(x.subarray(i * d, (i + 1) * d))));
  return { x, primaryX, d };
}

test('runNtk writes the NTK over the primary examples of the chosen weights; non-MLP models take the generic path', async () => {
  await withTempDir('ntk-stage-', async (root) => {
    const { primaryX, d } = await fixture(root);
    const make = () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [d], units: 5, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    const info = { model: 'MLPProb', loss: 'bce' as const, sigmoidOutput: true, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) };
    await saveModelDir(make(), join(root, 'train', 'model'), info);
    await saveModelDir(make(), join(root, 'train', 'init'), info);
    const ids = [0, 10, 30, 40, 60, 70, 80];
    for (const from of ['trained', 'init'] as const) {
      await runNtk({ config: { from }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train'), outDir: join(root, from) });
      const { matrix, meta } = await readMatrixFile(join(root, from, 'ntk.arrow'));
      assert.equal(matrix.kind, 'ntk');
      assert.equal(meta.stage, 'ntk');
      assert.equal(matrix.extra!.method, 'closed-form');
      assert.deepEqual(Array.from(matrix.rowIds), ids);
      assert.deepEqual(Array.from(matrix.columnIds), ids);
      const mlp = readDenseMlp((await loadModelDir(join(root, 'train', from === 'init' ? 'init' : 'model'))).model);
      const want = mlpNtk(mlp, primaryX, 7);
      matrix.values.forEach((v, q) => assert.ok(Math.abs(v - want[q]) <= 1e-12 * Math.abs(want[q])));
    }
    // a tanh network is outside the MLP family: the generic path; the closed form is a clear error
    const tanh = tf.sequential({ layers: [tf.layers.dense({ inputShape: [d], units: 4, activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    await saveModelDir(tanh, join(root, 'tanh', 'model'), { model: 'Other', loss: 'mse', sigmoidOutput: false, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) });
    const base = { pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'tanh') };
    await assert.rejects(
      runNtk({ ...base, config: { method: 'closed-form' }, outDir: join(root, 'bad') }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith('p.json: ntk.method:') && /tanh/.test(e.message),
    );
    await assert.rejects(runNtk({ ...base, config: { kind: 'infinite' }, outDir: join(root, 'bad') }), (e: unknown) => e instanceof ElasticityError && e.message.startsWith('p.json: ntk.depth:'));
    await runNtk({ ...base, config: {}, outDir: join(root, 'generic') });
    const generic = (await readMatrixFile(join(root, 'generic', 'ntk.arrow'))).matrix;
    assert.equal(generic.extra!.method, 'generic');
    const want = await genericNtk((await loadModelDir(join(root, 'tanh', 'model'))).model, primaryX, 7);
    assert.deepEqual(Array.from(generic.values), Array.from(want));
  });
});

test('infinite kind: the ReLU NTK of the model depth; shards merged equal the unsharded files byte for byte', async () => {
  await withTempDir('ntk-stage-', async (root) => {
    const { primaryX, d } = await fixture(root);
    const net = randomNet(createRng(6), d, [6, 6], ['relu', 'relu'], { readout: 'sum' });
    await saveModelDir(netToModel(net), join(root, 'train', 'model'), { model: 'ResNet', loss: 'mse', sigmoidOutput: false, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) });
    const base = { pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train') };
    const config = { kind: ['empirical', 'infinite'], sigmaB2: 0.1 };
    await runNtk({ ...base, config, outDir: join(root, 'full') });
    const inf = (await readMatrixFile(join(root, 'full', 'ntk-infinite.arrow'))).matrix;
    assert.equal(inf.kind, 'ntk-infinite');
    assert.equal(inf.extra!.depth, '2');
    assert.deepEqual(Array.from(inf.values), Array.from(reluInfiniteNtk(primaryX, 7, 2, { sigmaB2: 0.1 })));
    const emp = (await readMatrixFile(join(root, 'full', 'ntk.arrow'))).matrix;
    const want = await mlpNetNtk(readMlpNet((await loadModelDir(join(root, 'train', 'model'))).model), primaryX, 7);
    assert.deepEqual(Array.from(emp.values), Array.from(want));
    // shard i of 3 (what the pipeline runner passes): rows [0, 2), [2, 4), [4, 7)
    for (const index of [0, 1, 2]) await runNtk({ ...base, config: { ...config, shards: 3 }, outDir: join(root, `s${index}`), shard: { index, count: 3 } });
    assert.deepEqual(Array.from((await readMatrixFile(join(root, 's1', 'ntk.arrow'))).matrix.rowIds), [30, 40]);
    await assert.rejects(runNtk({ ...base, config, outDir: join(root, 'bad'), shard: { index: 3, count: 3 } }), (e: unknown) => e instanceof ElasticityError && /shard/.test(e.message));
    await mergeNtkShards({ shardDirs: [join(root, 's1'), join(root, 's2'), join(root, 's0')], outDir: join(root, 'merged') });
    for (const file of ['ntk.arrow', 'ntk-infinite.arrow']) assert.deepEqual(await readFile(join(root, 'merged', file)), await readFile(join(root, 'full', file)), file);
    await assert.rejects(mergeNtkShards({ shardDirs: [join(root, 's0'), join(root, 's0'), join(root, 's2')], outDir: join(root, 'bad') }), ElasticityError);
  });
});

test('kernelDiagonal in blocks equals the diagonal of the whole kernel (closed form and infinite width), for blocks that do not divide n', async () => {
  const rng = createRng(12);
  const d = 4, n = 11;
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const net = randomNet(rng, d, [6], ['relu']);
  const full = await mlpNetNtk(net, x, n);
  const diagonalOf = (K: Float64Array) => Float64Array.from({ length: n }, (_, i) => K[i * n + i]);
  for (const block of [1, 3, 4, 11, 256]) {
    const blocked = await kernelDiagonal((xb, b) => mlpNetNtk(net, xb, b), x, n, block);
    blocked.forEach((v, i) => assert.ok(Math.abs(v - diagonalOf(full)[i]) <= 1e-12 * Math.abs(diagonalOf(full)[i]), `block ${block}, example ${i}`));
  }
  const infinite = reluInfiniteNtk(x, n, 2);
  const blocked = await kernelDiagonal((xb, b) => reluInfiniteNtk(xb, b, 2), x, n, 3);
  blocked.forEach((v, i) => assert.ok(Math.abs(v - infinite[i * n + i]) <= 1e-12 * infinite[i * n + i]));
});

test('runNtk with mode "diagonal" writes each primary example\'s self-kernel and the trace, equal to the full kernel\'s diagonal; no n x n file', async () => {
  await withTempDir('ntk-diagonal-', async (root) => {
    const { d } = await fixture(root);
    const make = () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [d], units: 5, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
    const info = { model: 'MLPNet', loss: 'mse' as const, sigmoidOutput: false, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) };
    await saveModelDir(make(), join(root, 'train', 'model'), info);
    const run = (name: string, config: object) => runNtk({ config: { precision: 'float64', ...config }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train'), outDir: join(root, name) });
    for (const method of ['closed-form', 'generic'] as const) {
      await run(`full-${method}`, { method, kind: ['empirical', 'infinite'] });
      await run(`diagonal-${method}`, { method, kind: ['empirical', 'infinite'], mode: 'diagonal' });
      for (const [full, diagonal] of [['ntk.arrow', 'ntk-diagonal.arrow'], ['ntk-infinite.arrow', 'ntk-infinite-diagonal.arrow']]) {
        const { matrix } = await readMatrixFile(join(root, `full-${method}`, full));
        const { features, meta } = await readFeaturesFile(join(root, `diagonal-${method}`, diagonal));
        const n = matrix.rowIds.length;
        assert.equal(features.dim, 1);
        assert.deepEqual(Array.from(features.ids), Array.from(matrix.rowIds));
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const expected = matrix.values[i * n + i];
          sum += expected;
          assert.ok(Math.abs(features.values[i] - expected) <= 1e-12 * Math.abs(expected), `${method} ${diagonal} example ${i}: ${features.values[i]} vs ${expected}`);
        }
        assert.ok(Math.abs(Number(meta.extra.trace) - sum) <= 1e-12 * Math.abs(sum));
      }
      assert.ok(!existsSync(join(root, `diagonal-${method}`, 'ntk.arrow')));
    }
  });
});

test('ntk.memoryMb: a kernel over the budget is computed in row blocks, one record batch each, equal to the whole kernel to 1e-12 relative (closed form with a sigmoid output, float64 and float32 products; infinite width)', async () => {
  await withTempDir('ntk-blocks-', async (root) => {
    const rng = createRng(11);
    const d = 3, n = 300;
    const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
    const roles = Array.from({ length: n }, () => 'primary' as const);
    const dataset: Dataset = {
      name: 'blocks', inputShape: [d], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => i), x, d,
      target: Float32Array.from({ length: n }, (_, i) => i % 2), classes: new Int16Array(n), roles,
    };
    await writeDatasetFile(join(root, 'dataset.arrow'), dataset, { stage: 'ingest', params: {}, seed: 0, inputs: {} });
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [d], units: 5, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    await saveModelDir(model, join(root, 'train', 'model'), { model: 'MLPProb', loss: 'bce', sigmoidOutput: true, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) });
    const run = (name: string, config: object) => runNtk({ config: { kind: ['empirical', 'infinite'], ...config }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train'), outDir: join(root, name) });
    for (const precision of ['float64', 'float32'] as const) {
      await run(`whole-${precision}`, { precision });
      // 321 MB: 1 MB beside the 320 MB of runtime; rows of 300 entries at 32 bytes (counted four times): about 25 rows a block
      await run(`blocks-${precision}`, { precision, memoryMb: 321 });
      // the same budget in 7 row shards (42 or 43 rows), merged: streamed into the unsharded run's blocks
      for (const index of [0, 1, 2, 3, 4, 5, 6]) await runNtk({ config: { kind: ['empirical', 'infinite'], precision, memoryMb: 321, shards: 7 }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train'), outDir: join(root, `shard${index}-${precision}`), shard: { index, count: 7 } });
      await mergeNtkShards({ shardDirs: [3, 0, 6, 2, 5, 1, 4].map((index) => join(root, `shard${index}-${precision}`)), outDir: join(root, `merged-${precision}`) });
      const firstShardRows = (await readMatrixFile(join(root, `shard0-${precision}`, 'ntk.arrow'))).matrix.rowIds.length;
      for (const file of ['ntk.arrow', 'ntk-infinite.arrow']) {
        const whole = (await readMatrixFile(join(root, `whole-${precision}`, file))).matrix;
        const blocked = (await readMatrixFile(join(root, `blocks-${precision}`, file))).matrix;
        const batchRows: number[] = [];
        for await (const block of (await readMatrixBlocks(join(root, `blocks-${precision}`, file))).blocks()) if (block.rowIds.length > 0) batchRows.push(block.rowIds.length);
        assert.ok(batchRows.length >= 3, `${precision} ${file}: ${batchRows.length} record batches`);
        // each record batch holds the block_rows the file records (the last one the rest)
        const blockRows = Number(blocked.extra!.block_rows);
        assert.deepEqual(batchRows, batchRows.map((_, b) => Math.min(blockRows, n - b * blockRows)));
        assert.notEqual(firstShardRows % blockRows, 0, `shard boundaries fall inside blocks (${firstShardRows} rows, blocks of ${blockRows})`);
        assert.ok(Number(whole.extra!.block_rows) >= n, 'the whole kernel fits its budget');
        assert.equal(blocked.kind, whole.kind);
        assert.deepEqual(blocked.rowIds, whole.rowIds);
        assert.deepEqual(blocked.columnIds, whole.columnIds);
        assert.deepEqual({ ...blocked.extra, block_rows: '' }, { ...whole.extra, block_rows: '' });
        assert.deepEqual(await readFile(join(root, `merged-${precision}`, file)), await readFile(join(root, `blocks-${precision}`, file)), `${precision} ${file}: merged shards, byte for byte`);
        const error = rowRelativeError(blocked.values, whole.values, n, n);
        assert.ok(error <= 1e-12, `${precision} ${file}: row-relative error ${error}`);
      }
    }
  });
});
