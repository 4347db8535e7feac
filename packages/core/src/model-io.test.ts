import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from './backend.ts';
import { loadModelDir, readModelInfo, saveModelDir } from './model-io.ts';
import { ElasticityError } from './errors.ts';

test('a saved model loads back with identical weights and predictions', async () => {
  await initBackend('cpu');
  const dir = join(await mkdtemp(join(tmpdir(), 'model-')), 'model');
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 1 })] });
  await saveModelDir(model, dir, { model: 'MLPNet', loss: 'mse', sigmoidOutput: false, width: 5 });
  const { model: loaded, info } = await loadModelDir(dir);
  assert.equal(info.model, 'MLPNet');
  assert.equal((await readModelInfo(dir)).width, 5);
  const x = tf.tensor2d([[0.1, -0.2, 0.3], [1, 2, -3]]);
  assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
  for (const [a, b] of model.getWeights().map((w, i) => [w, loaded.getWeights()[i]])) assert.deepEqual(a.dataSync(), b.dataSync());
});

test('a truncated weights file and a model.json without training info are clear errors', async () => {
  await initBackend('cpu');
  const dir = join(await mkdtemp(join(tmpdir(), 'model-')), 'model');
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] })] });
  await saveModelDir(model, dir, { model: 'X', loss: 'mse', sigmoidOutput: false });
  const weights = join(dir, 'weights.bin');
  await writeFile(weights, (await readFile(weights)).subarray(0, 8));
  await assert.rejects(loadModelDir(dir), (e: unknown) => e instanceof ElasticityError && e.message.includes(weights) && e.field === 'weights');
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  delete json.userDefinedMetadata;
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  await assert.rejects(readModelInfo(dir), (e: unknown) => e instanceof ElasticityError && e.field === 'userDefinedMetadata.elasticity');
});
