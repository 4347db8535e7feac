import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { initBackend } from './backend.ts';
import { tf } from './tf.ts';
import { checkModelTrainedOn, loadModelDir, readModelInfo, saveModelDir, trainedOnRecord } from './model-io.ts';
import { sha256File } from './hash.ts';
import { ElasticityError } from './errors.ts';
import { withTempDir } from './testing/temp-dir.ts';

test('a saved model loads back with identical weights and predictions', async () => {
  await initBackend('cpu');
  await withTempDir('model-', async (root) => {
    const dir = join(root, 'model');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 1 })] });
    await saveModelDir(model, dir, { model: 'MLPNet', loss: 'mse', sigmoidOutput: false, width: 5 });
    const { model: loaded, info } = await loadModelDir(dir);
    assert.equal(info.model, 'MLPNet');
    assert.equal((await readModelInfo(dir)).width, 5);
    const x = tf.tensor2d([[0.1, -0.2, 0.3], [1, 2, -3]]);
    assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
    for (const [a, b] of model.getWeights().map((w, i) => [w, loaded.getWeights()[i]])) assert.deepEqual(a.dataSync(), b.dataSync());
  });
});

test('a truncated weights file and a model.json without training info are clear errors', async () => {
  await initBackend('cpu');
  await withTempDir('model-', async (root) => {
    const dir = join(root, 'model');
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
});

test('checkModelTrainedOn accepts the data set the model was trained on and refuses another one, or a model that records none, in one line naming both files', async () => {
  await initBackend('cpu');
  await withTempDir('model-', async (root) => {
    const [trained, other] = [join(root, 'dataset.arrow'), join(root, 'other.arrow')];
    await writeFile(trained, 'the training data');
    await writeFile(other, 'other data');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    const dir = join(root, 'model');
    await saveModelDir(model, dir, { model: 'X', loss: 'mse', sigmoidOutput: false, trainedOn: await trainedOnRecord(trained) });
    assert.deepEqual(await readModelInfo(dir).then((i) => i.trainedOn), { dataset: relative(process.cwd(), trained), sha256: await sha256File(trained) });
    await checkModelTrainedOn(dir, trained);

    const refused = (file: string, words: RegExp) => assert.rejects(checkModelTrainedOn(dir, file), (e: unknown) => {
      assert.ok(e instanceof ElasticityError);
      assert.equal(e.file, join(dir, 'model.json'));
      assert.equal(e.field, 'userDefinedMetadata.elasticity.trainedOn');
      assert.ok(e.message.includes(relative(process.cwd(), file)), e.message);
      assert.match(e.message, words);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
    await refused(other, /was trained on .*dataset\.arrow, not on .*other\.arrow/);
    await writeFile(trained, 'the training data, one byte changed');
    await refused(trained, /trained on another version of .*dataset\.arrow \(recorded SHA-256 /);

    await saveModelDir(model, dir, { model: 'X', loss: 'mse', sigmoidOutput: false });
    await refused(trained, /records no data set it was trained on/);
  });
});
