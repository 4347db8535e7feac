import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRng, ElasticityError, initBackend, loadModelDir, readDenseMlp, readMatrixFile, saveModelDir, tf, writeDatasetFile,
} from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { mlpNtk } from './mlp-ntk.ts';
import { parseNtkConfig } from './ntk-config.ts';
import { runNtk } from './ntk-stage.ts';

await initBackend();

test('parseNtkConfig applies defaults and names the bad key', () => {
  assert.deepEqual(parseNtkConfig(undefined, 'p.json'), { kind: 'empirical', from: 'trained' });
  assert.deepEqual(parseNtkConfig({ from: 'init' }, 'p.json'), { kind: 'empirical', from: 'init' });
  for (const [section, field] of [[{ kind: 'infinite' }, 'ntk.kind'], [{ from: 'x' }, 'ntk.from'], [{ eta: 1 }, 'ntk.eta'], ['x', 'ntk']] as const) {
    assert.throws(() => parseNtkConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && e.message.startsWith(`p.json: ${field}:`));
  }
});

test('runNtk writes the NTK over the primary examples of the chosen weights; a non-MLP is a clear error', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ntk-stage-'));
  try {
    const rng = createRng(4);
    const d = 3, n = 7;
    const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
    const roles = Array.from({ length: n }, (_, i) => (i === 2 || i === 5 ? 'auxiliary' : 'primary') as 'primary' | 'auxiliary');
    const dataset: Dataset = {
      name: 'tiny', inputShape: [d], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => 10 * i), x, d,
      target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)), classes: new Int16Array(n), roles,
    };
    await writeDatasetFile(join(root, 'dataset.arrow'), dataset, { stage: 'ingest', params: {}, seed: 0, inputs: {} });
    const make = () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [d], units: 5, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    const info = { model: 'MLPProb', loss: 'bce' as const, sigmoidOutput: true };
    await saveModelDir(make(), join(root, 'train', 'model'), info);
    await saveModelDir(make(), join(root, 'train', 'init'), info);
    const primaryX = Float32Array.from([0, 1, 3, 4, 6].flatMap((i) => Array.from(x.subarray(i * d, (i + 1) * d))));
    for (const from of ['trained', 'init'] as const) {
      await runNtk({ config: { from }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'train'), outDir: join(root, from) });
      const { matrix, meta } = await readMatrixFile(join(root, from, 'ntk.arrow'));
      assert.equal(matrix.kind, 'ntk');
      assert.equal(meta.stage, 'ntk');
      assert.deepEqual(Array.from(matrix.rowIds), [0, 10, 30, 40, 60]);
      assert.deepEqual(Array.from(matrix.columnIds), [0, 10, 30, 40, 60]);
      const mlp = readDenseMlp((await loadModelDir(join(root, 'train', from === 'init' ? 'init' : 'model'))).model);
      assert.deepEqual(Array.from(matrix.values), Array.from(mlpNtk(mlp, primaryX, 5)));
    }
    const deep = tf.sequential({ layers: [tf.layers.dense({ inputShape: [d], units: 4, activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    await saveModelDir(deep, join(root, 'deep', 'model'), { model: 'Other', loss: 'mse', sigmoidOutput: false });
    await assert.rejects(
      runNtk({ config: {}, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), modelDir: join(root, 'deep'), outDir: join(root, 'bad') }),
      (e: unknown) => e instanceof ElasticityError && e.message.startsWith('p.json: ntk.kind:') && /tanh/.test(e.message),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
