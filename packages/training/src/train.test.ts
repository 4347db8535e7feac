import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, ElasticityError, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { initPyTorchDefault } from './init.ts';
import { getModelSpec } from './models/zoo.ts';
import { accuracy, trainModel } from './train.ts';
import type { TrainData } from './train.ts';
import { batchLossJs, forwardJs, readMlpParams } from './testing/reference-mlp.ts';
import { allSpecs, smallCase } from './testing/zoo-cases.ts';

before(async () => {
  await initBackend('auto');
});

/** Two Gaussian-free blobs in 2-d, separable by x0 (margin 0.4): class 1 iff x0 > 0. */
function separable(n: number, seed: number): TrainData {
  const rng = createRng(seed);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    x[2 * i] = (y[i] === 1 ? 1 : -1) * rng.uniform(0.2, 1);
    x[2 * i + 1] = rng.uniform(-1, 1);
  }
  return { x, d: 2, y };
}

function build(name: string, width: number, seed: number) {
  const spec = getModelSpec(name);
  const model = spec.build({ inputShape: [2], width });
  initPyTorchDefault(model, seed);
  return { model, spec };
}

describe('trainModel', () => {
  for (const name of ['MLPNet', 'MLPProb']) {
    test(`${name}: a separable set is learned (loss falls, train and test accuracy reach 1)`, async () => {
      const { model, spec } = build(name, 32, 0);
      const data = separable(60, 1);
      const test = separable(40, 2);
      const records = await trainModel(model, data, { loss: spec.defaultLoss, lr: name === 'MLPNet' ? 0.05 : 0.5, batch: 10, epochs: 60, seed: 3, test });
      assert.equal(records.length, 60);
      assert.deepEqual(records.map((r) => r.epoch), Array.from({ length: 60 }, (_, i) => i + 1));
      assert.ok(records[59].loss < records[0].loss / 3, `loss ${records[0].loss} -> ${records[59].loss}`);
      assert.equal(records[59].trainAccuracy, 1);
      assert.equal(records[59].testAccuracy, 1);
      assert.equal(accuracy(model, test), 1);
      assert.ok(records.every((r) => r.seconds >= 0));
      model.dispose();
    });
  }

  test('with one full batch, epoch 1 records the loss and accuracy of the initial weights, and -1 without a test set', async () => {
    const { model, spec } = build('MLPNet', 8, 5);
    const data = separable(30, 4);
    const m = readMlpParams(model, 'relu', false);
    const initialLoss = batchLossJs(m, data.x, data.y, 'mse');
    let right = 0;
    for (let i = 0; i < 30; i++) if ((forwardJs(m, data.x.subarray(2 * i, 2 * i + 2)).out > 0.5 ? 1 : 0) === data.y[i]) right++;
    const [first] = await trainModel(model, data, { loss: spec.defaultLoss, lr: 0.01, batch: 30, epochs: 1, seed: 0 });
    model.dispose();
    assert.ok(Math.abs(first.loss - initialLoss) < 1e-5, `${first.loss} vs ${initialLoss}`);
    assert.equal(first.trainAccuracy, right / 30);
    assert.equal(first.testAccuracy, -1);
  });

  test('same seed, same start -> identical weights and records; another shuffle seed -> different weights', async () => {
    const data = separable(40, 6);
    const run = async (shuffleSeed: number) => {
      const { model } = build('MLPNet', 16, 9);
      const records = await trainModel(model, data, { loss: 'mse', lr: 0.05, batch: 7, epochs: 3, seed: shuffleSeed });
      const weights = model.getWeights().map((t) => Float32Array.from(t.dataSync()));
      model.dispose();
      return { records: records.map(({ seconds: _s, ...r }) => r), weights };
    };
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    assert.deepEqual(a.records, b.records);
    a.weights.forEach((w, i) => assert.deepEqual(w, b.weights[i]));
    assert.notDeepEqual(a.weights[0], c.weights[0]);
  });

  for (const name of ['MLPProb', 'ResNet']) {
    test(`${name}: memory stays flat, no tensor survives an epoch or the training`, async () => {
      const { model, spec } = build(name, 16, 1);
      const counts: number[] = [];
      const before = tf.memory().numTensors;
      await trainModel(model, separable(50, 3), {
        loss: spec.defaultLoss, lr: 0.1, batch: 8, epochs: 4, seed: 0, test: separable(20, 4), onEpoch: () => counts.push(tf.memory().numTensors),
      });
      assert.deepEqual(counts, counts.map(() => counts[0]));
      assert.equal(tf.memory().numTensors, before);
      model.dispose();
    });
  }

  test('checkpoints: onCheckpoint sees the weights after every k-th epoch, equal to training that many epochs', async () => {
    const data = separable(30, 7);
    const seen = new Map<number, Float32Array[]>();
    const { model } = build('MLPNet', 8, 4);
    await trainModel(model, data, {
      loss: 'mse', lr: 0.05, batch: 7, epochs: 5, seed: 2, checkpointEvery: 2,
      onCheckpoint: (epoch, m) => {
        seen.set(epoch, m.getWeights().map((t) => Float32Array.from(t.dataSync())));
      },
    });
    assert.deepEqual([...seen.keys()], [2, 4]);
    const { model: short } = build('MLPNet', 8, 4);
    await trainModel(short, data, { loss: 'mse', lr: 0.05, batch: 7, epochs: 4, seed: 2 });
    short.getWeights().forEach((t, i) => assert.deepEqual(Float32Array.from(t.dataSync()), seen.get(4)![i]));
    model.dispose();
    short.dispose();
  });

  test('every zoo model trains a few epochs without error and its loss falls', async () => {
    for (const spec of allSpecs()) {
      const { model, d, x, y } = smallCase(spec, 24, 1, 6);
      const records = await trainModel(model, { x, d, y }, { loss: spec.defaultLoss, lr: spec.name.startsWith('CNN') ? 0.05 : 0.1, batch: 8, epochs: 6, seed: 0 });
      assert.ok(records[5].loss < records[0].loss, `${spec.name}: loss ${records[0].loss} -> ${records[5].loss}`);
      model.dispose();
    }
  });

  for (const name of ['MLPNet', 'ResNet']) test(`${name}: a diverging learning rate stops with an ElasticityError naming the epoch, the step and train.lr`, async () => {
    const { model } = build(name, 16, 2);
    const before = tf.memory().numTensors;
    await assert.rejects(
      trainModel(model, separable(40, 5), { loss: 'mse', lr: 1e6, batch: 5, epochs: 5, seed: 0, file: 'pipelines/x.json' }),
      (e: unknown) => {
        assert.ok(e instanceof ElasticityError);
        assert.equal(e.field, 'train.lr');
        assert.equal(e.file, 'pipelines/x.json');
        assert.match(e.message, /^pipelines\/x\.json: train\.lr: loss is (NaN|Infinity) at epoch 1, step [2-8] \(of 8 per epoch\).*lower the learning rate/);
        return true;
      },
    );
    assert.ok(tf.memory().numTensors <= before + 1, 'data tensors are freed on error');
    model.dispose();
  });
});
