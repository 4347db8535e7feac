import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, ElasticityError, initBackend, loadModelDir, readMatrixBlocks, readMatrixFile, saveModelDir, trainedOnRecord, writeDatasetFile } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { readDenseMlp, readMlpNet } from '@elasticity/mlp-engine';
import type { Dataset } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { parseProbeConfig } from './probe-config.ts';
import { mergeProbeShards, runProbe } from './probe-stage.ts';
import { referenceMlpProbe, referenceNetProbe } from './reference-probe.ts';
import { kernelizedSimilarity, relativeSimilarity } from './probe-result.ts';
import { forward64, mlpToModel, outputGradient, randomInputs, randomMlp, rowRelativeError } from './test-support.ts';

await initBackend();
const all = (n: number) => Array.from({ length: n }, (_, i) => i);
const meta = { stage: 'ingest', params: {}, seed: 0, inputs: {} };

test('parseProbeConfig applies defaults and names the bad key', () => {
  const defaults = { kinds: ['relative', 'kernelized'], eta: 'authors', method: 'auto', mode: 'reset', from: 'trained', probed: 'primary', measured: 'primary', precision: 'auto', shards: 1, memoryMb: 4096 };
  assert.deepEqual(parseProbeConfig({}, 'p.json'), defaults);
  assert.deepEqual(parseProbeConfig({ kinds: ['kernelized'], eta: 0.01, method: 'fast', mode: 'online', from: 'init', probed: 'all', measured: 'auxiliary', precision: 'float64', shards: 2 }, 'p.json'),
    { kinds: ['kernelized'], eta: 0.01, method: 'fast', mode: 'online', from: 'init', probed: 'all', measured: 'auxiliary', precision: 'float64', shards: 2, memoryMb: 4096 });
  const bad: Array<[unknown, string]> = [
    [{ etaa: 1 }, 'probe.etaa'], [{ eta: -1 }, 'probe.eta'], [{ eta: 'paper' }, 'probe.eta'], [{ kinds: [] }, 'probe.kinds'],
    [{ kinds: ['ntk'] }, 'probe.kinds[0]'], [{ method: 'slow' }, 'probe.method'], [{ mode: 'sometimes' }, 'probe.mode'],
    [{ probed: 'train' }, 'probe.probed'], [{ measured: 3 }, 'probe.measured'], [{ precision: 'half' }, 'probe.precision'],
    [{ from: 'best' }, 'probe.from'], [{ shards: 0 }, 'probe.shards'], [{ memoryMb: 0 }, 'probe.memoryMb'], [[], 'probe'],
  ];
  for (const [section, field] of bad) {
    assert.throws(() => parseProbeConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && e.message.startsWith(`p.json: ${field}:`), JSON.stringify(section));
  }
});

/** 6 primary examples (ids 100..) interleaved with 4 auxiliary ones, a trained and an initial 2-layer MLP. */
async function fixture(root: string, sigmoidOutput: boolean): Promise<{ dataset: Dataset; primaryX: Float32Array }> {
  const rng = createRng(31);
  const d = 5, n = 10;
  const x = randomInputs(rng, n, d);
  const roles = Array.from({ length: n }, (_, i) => (i % 5 === 1 || i % 5 === 3 ? 'auxiliary' : 'primary') as 'primary' | 'auxiliary');
  const dataset: Dataset = {
    name: 'tiny', inputShape: [d], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => 100 + i), x, d,
    target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)), classes: Int16Array.from({ length: n }, (_, i) => i % 2), roles,
  };
  await writeDatasetFile(join(root, 'dataset.arrow'), dataset, meta);
  const info = { model: 'MLPNet', loss: sigmoidOutput ? 'bce' as const : 'mse' as const, sigmoidOutput, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) };
  await saveModelDir(mlpToModel(randomMlp(rng, d, 7, 'relu', sigmoidOutput)), join(root, 'train', 'model'), info);
  await saveModelDir(mlpToModel(randomMlp(rng, d, 7, 'relu', sigmoidOutput)), join(root, 'train', 'init'), info);
  const primaryX = Float32Array.from(roles.flatMap((r, i) => (r === 'primary' ? Array.from(x.subarray(i * d, (i + 1) * d)) : [])));
  return { dataset, primaryX };
}

test('runProbe writes relative and kernelized matrices over the primary examples that match the float64 reference', async () => {
  for (const sigmoidOutput of [false, true]) {
    await withTempDir('probe-stage-', async (root) => {
      const { primaryX } = await fixture(root, sigmoidOutput);
      for (const from of ['trained', 'init'] as const) {
        const outDir = join(root, `probe-${from}`);
        await runProbe({ config: { eta: 0.01, from }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train'), outDir });
        const mlp = readDenseMlp((await loadModelDir(join(root, 'train', from === 'init' ? 'init' : 'model'))).model);
        const n = 6;
        const ref = referenceMlpProbe(mlp, { x: primaryX, n, targets: new Float32Array(n).fill(1), rows: [0, 1, 2, 3, 4, 5] }, sigmoidOutput ? 'bce' : 'mse', 0.01);
        const { matrix: rel, meta: relMeta } = await readMatrixFile(join(outDir, 'relative.arrow'));
        const { matrix: ker } = await readMatrixFile(join(outDir, 'kernelized.arrow'));
        assert.deepEqual(Array.from(rel.rowIds), [100, 102, 104, 105, 107, 109]);
        assert.deepEqual(Array.from(ker.columnIds), [100, 102, 104, 105, 107, 109]);
        assert.equal(rel.kind, 'relative');
        assert.equal(ker.kind, 'kernelized');
        assert.deepEqual(Array.from(ker.eta!), new Array(n).fill(0.01));
        assert.deepEqual({ ...ker.extra }, {
          loss: sigmoidOutput ? 'bce' : 'mse', eta_schedule: 'fixed', method: 'fast', mode: 'reset', from, probed: 'primary', measured: 'primary', model: 'MLPNet', row_total: '6',
          block_rows: ker.extra!.block_rows,
        });
        assert.ok(Number(ker.extra!.block_rows) >= n, 'the rows of the whole matrix\'s record batch (the budget\'s)');
        assert.equal(relMeta.stage, 'probe');
        assert.ok(rowRelativeError(rel.values, relativeSimilarity(ref), n, n) < 1e-9);
        assert.ok(rowRelativeError(ker.values, kernelizedSimilarity(ref), n, n) < 1e-9);
      }
    });
  }
});

test('a row shard equals the same rows of the full probe; the generic method agrees with the fast one', async () => {
  await withTempDir('probe-stage-', async (root) => {
    await fixture(root, false);
    const base = { pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train') };
    await runProbe({ ...base, config: { kinds: ['kernelized'] }, outDir: join(root, 'full') });
    await runProbe({ ...base, config: { kinds: ['kernelized'] }, outDir: join(root, 'shard'), rows: [2, 5] });
    await runProbe({ ...base, config: { kinds: ['kernelized'], method: 'generic', eta: 0.01 }, outDir: join(root, 'generic') });
    await runProbe({ ...base, config: { kinds: ['kernelized'], method: 'fast', eta: 0.01 }, outDir: join(root, 'fast') });
    const full = (await readMatrixFile(join(root, 'full', 'kernelized.arrow'))).matrix;
    const shard = (await readMatrixFile(join(root, 'shard', 'kernelized.arrow'))).matrix;
    assert.deepEqual(Array.from(shard.rowIds), Array.from(full.rowIds.subarray(2, 5)));
    assert.deepEqual(Array.from(shard.values), Array.from(full.values.subarray(2 * 6, 5 * 6)));
    assert.deepEqual(Array.from(shard.eta!), Array.from(full.eta!.subarray(2, 5)));
    assert.equal(full.extra!.eta_schedule, 'authors');
    const generic = (await readMatrixFile(join(root, 'generic', 'kernelized.arrow'))).matrix;
    const fast = (await readMatrixFile(join(root, 'fast', 'kernelized.arrow'))).matrix;
    assert.equal(generic.extra!.method, 'generic');
    assert.ok(rowRelativeError(generic.values, fast.values, 6, 6) < 1e-3);
    await assert.rejects(runProbe({ ...base, config: {}, outDir: join(root, 'bad'), rows: [4, 9] }), /rows/);
  });
});

test('method "fast" on a model outside the MLP family is a clear error; "auto" falls back to the generic path; a 3-layer MLP runs fast', async () => {
  await withTempDir('probe-stage-', async (root) => {
    await fixture(root, false);
    const tanh = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 4, activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    await saveModelDir(tanh, join(root, 'tanh', 'model'), { model: 'Other', loss: 'mse', sigmoidOutput: false, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) });
    const base = { pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow') };
    await assert.rejects(
      runProbe({ ...base, modelDir: join(root, 'tanh'), config: { method: 'fast' }, outDir: join(root, 'out') }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith('p.json: probe.method:') && /MLP family/.test(e.message) && /tanh/.test(e.message),
    );
    await runProbe({ ...base, modelDir: join(root, 'tanh'), config: { kinds: ['relative'] }, outDir: join(root, 'auto') });
    const rel = (await readMatrixFile(join(root, 'auto', 'relative.arrow'))).matrix;
    assert.equal(rel.extra!.method, 'generic');
    for (let i = 0; i < 6; i++) assert.equal(rel.values[i * 6 + i], 1);
    const deep = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [5], units: 4, activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'relu' }), tf.layers.dense({ units: 1 })],
    });
    await saveModelDir(deep, join(root, 'deep', 'model'), { model: 'MLPNet3Layer', loss: 'mse', sigmoidOutput: false, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) });
    await runProbe({ ...base, modelDir: join(root, 'deep'), config: { kinds: ['relative'], eta: 0.01 }, outDir: join(root, 'deep-out') });
    assert.equal((await readMatrixFile(join(root, 'deep-out', 'relative.arrow'))).matrix.extra!.method, 'fast');
  });
});

test('shards merged equal the unsharded files byte for byte (reset and online; fast with float64 and float32 products, and generic)', async () => {
  await withTempDir('probe-stage-', async (root) => {
    await fixture(root, true);
    const base = { pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train') };
    // (float32: products of one row and of a few on the float32 kernel, as the full probe's strips of rows)
    const configs = [{}, { precision: 'float32' }, { mode: 'online', eta: 0.05, probed: 'all' }, { method: 'generic', eta: 0.01 }, { method: 'generic', mode: 'online', eta: 0.01 }];
    for (const [q, config] of configs.entries()) {
      const dir = join(root, `c${q}`);
      await runProbe({ ...base, config, outDir: join(dir, 'full') });
      const total = (await readMatrixFile(join(dir, 'full', 'relative.arrow'))).matrix.rowIds.length;
      const cuts = [[0, 2], [2, total - 1], [total - 1, total]] as Array<[number, number]>;
      // the shards run with shards: 3 in their section; the result does not depend on it
      for (const [t, rows] of cuts.entries()) await runProbe({ ...base, config: { ...config, shards: 3 }, outDir: join(dir, `s${t}`), rows });
      await mergeProbeShards({ shardDirs: [join(dir, 's2'), join(dir, 's0'), join(dir, 's1')], outDir: join(dir, 'merged') });
      for (const file of ['relative.arrow', 'kernelized.arrow']) {
        assert.deepEqual(await readFile(join(dir, 'merged', file)), await readFile(join(dir, 'full', file)), `${JSON.stringify(config)} ${file}`);
      }
      // a missing shard is a clear error
      await assert.rejects(mergeProbeShards({ shardDirs: [join(dir, 's0'), join(dir, 's2')], outDir: join(dir, 'bad') }), (e: unknown) => e instanceof ElasticityError && /gap/.test(e.message));
    }
  });
});

test('probed and measured sets: steps at every example, changes measured at the auxiliary ones', async () => {
  await withTempDir('probe-stage-', async (root) => {
    const { dataset } = await fixture(root, false);
    await runProbe({
      config: { eta: 0.02, probed: 'all', measured: 'auxiliary' }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'),
      modelDir: join(root, 'train'), outDir: join(root, 'out'),
    });
    const { matrix } = await readMatrixFile(join(root, 'out', 'kernelized.arrow'));
    const aux = [1, 3, 6, 8];
    assert.deepEqual(Array.from(matrix.rowIds), Array.from(dataset.ids));
    assert.deepEqual(Array.from(matrix.columnIds), aux.map((i) => dataset.ids[i]));
    const net = readMlpNet((await loadModelDir(join(root, 'train', 'model'))).model);
    const ref = referenceNetProbe(net, { x: dataset.x, n: 10, targets: dataset.target, rows: all(10), columns: aux }, 'mse', 0.02).result;
    assert.ok(rowRelativeError(matrix.values, kernelizedSimilarity(ref), 10, 4) < 1e-9);
    const rel = (await readMatrixFile(join(root, 'out', 'relative.arrow'))).matrix;
    assert.ok(rowRelativeError(rel.values, relativeSimilarity(ref), 10, 4) < 1e-9);
  });
});

test('probe.memoryMb: rows over the budget are probed in blocks, one record batch each, equal to the whole probe to 1e-12 (authors eta; ReLU MSE and sigmoid BCE; float64 and float32 products); the online probe over the budget is refused, no file written', async () => {
  await withTempDir('probe-blocks-', async (root) => {
    const rng = createRng(17);
    const d = 5, n = 300;
    const dataset: Dataset = {
      name: 'blocks', inputShape: [d], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => 1000 + i), x: randomInputs(rng, n, d), d,
      target: Float32Array.from({ length: n }, (_, i) => i % 2), classes: Int16Array.from({ length: n }, (_, i) => i % 2), roles: Array.from({ length: n }, () => 'primary' as const),
    };
    await writeDatasetFile(join(root, 'dataset.arrow'), dataset, meta);
    for (const sigmoidOutput of [false, true]) {
      const modelDir = join(root, `train-${sigmoidOutput}`);
      const info = { model: 'MLPNet', loss: sigmoidOutput ? 'bce' as const : 'mse' as const, sigmoidOutput, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) };
      await saveModelDir(mlpToModel(randomMlp(rng, d, 7, 'relu', sigmoidOutput)), join(modelDir, 'model'), info);
      const base = { pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir };
      for (const precision of ['float64', 'float32']) {
        const dir = join(root, `${sigmoidOutput}-${precision}`);
        await runProbe({ ...base, config: { precision }, outDir: join(dir, 'whole') });
        // 321 MB: 1 MB beside the 320 MB of runtime; rows of 300 entries at 40 bytes (counted four times): about 20 rows a block
        await runProbe({ ...base, config: { precision, memoryMb: 321 }, outDir: join(dir, 'blocks') });
        for (const file of ['relative.arrow', 'kernelized.arrow']) {
          const whole = (await readMatrixFile(join(dir, 'whole', file))).matrix;
          const blocked = (await readMatrixFile(join(dir, 'blocks', file))).matrix;
          const batchRows: number[] = [];
          for await (const block of (await readMatrixBlocks(join(dir, 'blocks', file))).blocks()) batchRows.push(block.rowIds.length);
          assert.ok(batchRows.length >= 3, `${dir} ${file}: ${batchRows.length} record batches`);
          const blockRows = Number(blocked.extra!.block_rows);
          assert.deepEqual(batchRows, batchRows.map((_, b) => Math.min(blockRows, n - b * blockRows)), 'record batches of block_rows');
          assert.deepEqual(blocked.rowIds, whole.rowIds);
          assert.deepEqual(blocked.eta, whole.eta, 'the same step size per row');
          assert.deepEqual({ ...blocked.extra, block_rows: '' }, { ...whole.extra, block_rows: '' });
          const error = rowRelativeError(blocked.values, whole.values, n, n);
          assert.ok(error <= 1e-12, `${dir} ${file}: row-relative error ${error}`);
        }
      }
      await assert.rejects(runProbe({ ...base, config: { mode: 'online', eta: 0.01, memoryMb: 321 }, outDir: join(root, 'online') }),
        (e: unknown) => e instanceof ElasticityError && e.message.startsWith('p.json: probe.memoryMb: the online probe holds all 300 rows'));
      assert.equal(existsSync(join(root, 'online', 'relative.arrow')), false);
    }
  });
});

test("a trained sigmoid net whose class-1 outputs are 1 in float32: the fast probe's rows take the first step, the generic probe stops with the reason", async () => {
  await withTempDir('probe-saturated-', async (root) => {
    const { primaryX } = await fixture(root, true);
    const rng = createRng(5);
    const mlp = randomMlp(rng, 5, 7, 'linear', true);
    // logits near 20 at every example: p = 1 - 2e-9, 1 in float32; the primary examples' target is 1
    mlp.c = Math.fround(mlp.c + 20 - forward64(mlp, primaryX, 0).z);
    const info = { model: 'MLPLinearProb', loss: 'bce' as const, sigmoidOutput: true, trainedOn: await trainedOnRecord(join(root, 'dataset.arrow')) };
    await saveModelDir(mlpToModel(mlp), join(root, 'train', 'model'), info);
    const base = { pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train') };
    await runProbe({ ...base, config: { eta: 'authors' }, outDir: join(root, 'fast') });
    const { matrix: ker } = await readMatrixFile(join(root, 'fast', 'kernelized.arrow'));
    assert.deepEqual(Array.from(ker.eta!), new Array(6).fill(1e-6));
    // at that step S_ker is the empirical NTK of the output p to ~1e-6 (a float64 difference of two outputs at 1 - 2e-9 would lose
    // every digit, so the expectation is the kernel itself: grad p by the chain rule)
    const grads = all(6).map((i) => outputGradient(mlp, primaryX, i * 5));
    const ntk = Float64Array.from({ length: 36 }, (_, q) => grads[Math.floor(q / 6)].reduce((acc, v, k) => acc + v * grads[q % 6][k], 0));
    assert.ok(rowRelativeError(ker.values, ntk, 6, 6) < 1e-5, `vs the NTK: ${rowRelativeError(ker.values, ntk, 6, 6)}`);
    await assert.rejects(
      runProbe({ ...base, config: { eta: 'authors', method: 'generic' }, outDir: join(root, 'generic') }),
      (e: unknown) => e instanceof ElasticityError && /exactly 1 in float32/.test(e.message),
    );
    assert.ok(!existsSync(join(root, 'generic')), 'no partial output');
  });
});
