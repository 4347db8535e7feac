import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRng, ElasticityError, initBackend, loadModelDir, readDenseMlp, readMatrixFile, saveModelDir, tf, writeDatasetFile,
} from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { parseProbeConfig } from './probe-config.ts';
import { runProbe } from './probe-stage.ts';
import { referenceMlpProbe } from './reference-probe.ts';
import { kernelizedSimilarity, relativeSimilarity } from './probe-result.ts';
import { mlpToModel, randomInputs, randomMlp, rowRelativeError } from './test-support.ts';

await initBackend();
const meta = { stage: 'ingest', params: {}, seed: 0, inputs: {} };

test('parseProbeConfig applies defaults and names the bad key', () => {
  assert.deepEqual(parseProbeConfig({}, 'p.json'), { kinds: ['relative', 'kernelized'], eta: 'authors', method: 'auto', mode: 'reset', from: 'trained', shards: 1 });
  assert.deepEqual(parseProbeConfig({ kinds: ['kernelized'], eta: 0.01, method: 'fast', from: 'init', shards: 2 }, 'p.json'),
    { kinds: ['kernelized'], eta: 0.01, method: 'fast', mode: 'reset', from: 'init', shards: 2 });
  const bad: Array<[unknown, string]> = [
    [{ etaa: 1 }, 'probe.etaa'], [{ eta: -1 }, 'probe.eta'], [{ eta: 'paper' }, 'probe.eta'], [{ kinds: [] }, 'probe.kinds'],
    [{ kinds: ['ntk'] }, 'probe.kinds[0]'], [{ method: 'slow' }, 'probe.method'], [{ mode: 'online' }, 'probe.mode'],
    [{ from: 'best' }, 'probe.from'], [{ shards: 0 }, 'probe.shards'], [[], 'probe'],
  ];
  for (const [section, field] of bad) {
    assert.throws(() => parseProbeConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && e.message.startsWith(`p.json: ${field}:`), JSON.stringify(section));
  }
});

/** 6 primary examples (ids 100..) interleaved with 4 auxiliary ones, a trained and an initial 2-layer MLP. */
async function fixture(sigmoidOutput: boolean): Promise<{ root: string; dataset: Dataset; primaryX: Float32Array }> {
  const root = await mkdtemp(join(tmpdir(), 'probe-stage-'));
  const rng = createRng(31);
  const d = 5, n = 10;
  const x = randomInputs(rng, n, d);
  const roles = Array.from({ length: n }, (_, i) => (i % 5 === 1 || i % 5 === 3 ? 'auxiliary' : 'primary') as 'primary' | 'auxiliary');
  const dataset: Dataset = {
    name: 'tiny', inputShape: [d], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => 100 + i), x, d,
    target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)), classes: Int16Array.from({ length: n }, (_, i) => i % 2), roles,
  };
  await writeDatasetFile(join(root, 'dataset.arrow'), dataset, meta);
  const info = { model: 'MLPNet', loss: sigmoidOutput ? 'bce' as const : 'mse' as const, sigmoidOutput };
  await saveModelDir(mlpToModel(randomMlp(rng, d, 7, 'relu', sigmoidOutput)), join(root, 'train', 'model'), info);
  await saveModelDir(mlpToModel(randomMlp(rng, d, 7, 'relu', sigmoidOutput)), join(root, 'train', 'init'), info);
  const primaryX = Float32Array.from(roles.flatMap((r, i) => (r === 'primary' ? Array.from(x.subarray(i * d, (i + 1) * d)) : [])));
  return { root, dataset, primaryX };
}

test('runProbe writes relative and kernelized matrices over the primary examples that match the float64 reference', async () => {
  for (const sigmoidOutput of [false, true]) {
    const { root, primaryX } = await fixture(sigmoidOutput);
    try {
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
        assert.deepEqual({ ...ker.extra }, { loss: sigmoidOutput ? 'bce' : 'mse', eta_schedule: 'fixed', method: 'fast', from, model: 'MLPNet' });
        assert.equal(relMeta.stage, 'probe');
        assert.ok(rowRelativeError(rel.values, relativeSimilarity(ref), n, n) < 1e-9);
        assert.ok(rowRelativeError(ker.values, kernelizedSimilarity(ref), n, n) < 1e-9);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
});

test('a row shard equals the same rows of the full probe; the generic method agrees with the fast one', async () => {
  const { root } = await fixture(false);
  try {
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
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('method "fast" on a model that is not a 2-layer MLP is a clear error; "auto" falls back to the generic path', async () => {
  const { root } = await fixture(false);
  try {
    const deep = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [5], units: 4, activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'relu' }), tf.layers.dense({ units: 1 })],
    });
    await saveModelDir(deep, join(root, 'deep', 'model'), { model: 'MLPNet3Layer', loss: 'mse', sigmoidOutput: false });
    const base = { pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'deep') };
    await assert.rejects(
      runProbe({ ...base, config: { method: 'fast' }, outDir: join(root, 'out') }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith('p.json: probe.method:') && /2-layer MLP/.test(e.message),
    );
    await runProbe({ ...base, config: { kinds: ['relative'] }, outDir: join(root, 'auto') });
    const rel = (await readMatrixFile(join(root, 'auto', 'relative.arrow'))).matrix;
    assert.equal(rel.extra!.method, 'generic');
    for (let i = 0; i < 6; i++) assert.equal(rel.values[i * 6 + i], 1);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
