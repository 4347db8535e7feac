import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError, createRng, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { conv, convTranspose, createAutoencoder, imageShape, toChannelsLast, trainAutoencoder } from './autoencoder.ts';

/** n single-channel 28 x 28 images in [-1, 1]: background -1, one bright 8 x 8 square at a random place. */
function squares(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const x = new Float32Array(n * 784).fill(-1);
  for (let i = 0; i < n; i++) {
    const r = rng.int(0, 20), c = rng.int(0, 20);
    for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) x[i * 784 + (r + a) * 28 + c + b] = 1;
  }
  return x;
}

test('the autoencoder maps 28 x 28, 32 x 32 x 3 and 39 x 30 images to a 32-d code and back to their shape', async () => {
  await initBackend();
  for (const shape of [{ channels: 1, height: 28, width: 28 }, { channels: 3, height: 32, width: 32 }, { channels: 1, height: 39, width: 30 }]) {
    const model = createAutoencoder(shape, createRng(1));
    const x = tf.zeros([2, shape.height, shape.width, shape.channels]) as tf.Tensor4D;
    const code = model.encode(x);
    assert.deepEqual(code.shape, [2, 32]);
    assert.deepEqual(model.decode(code).shape, [2, shape.height, shape.width, shape.channels]);
    model.dispose();
  }
  // Parameters for 1 x 28 x 28: conv 1*16*9 + 16 = 160, conv 16*8*9 + 8 = 1160, convT 8*16*9 + 16 = 1168,
  // convT 16*8*25 + 8 = 3208, convT 8*1*4 + 1 = 33: 5729 in all.
  const model = createAutoencoder({ channels: 1, height: 28, width: 28 }, createRng(1));
  assert.equal(model.variables.reduce((s, v) => s + v.size, 0), 5729);
  model.dispose();
});

test('the convolution gradients built from portable ops equal TensorFlow.js\'s own (cpu backend)', async () => {
  await initBackend();
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  const rng = createRng(9);
  const rand = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
  const close = (a: tf.Tensor, b: tf.Tensor) => {
    assert.deepEqual(a.shape, b.shape);
    const x = a.dataSync(), y = b.dataSync();
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) < 1e-3 * (1 + Math.abs(y[i])), `${x[i]} vs ${y[i]}`);
  };
  // Convolution, stride 3 on 10 x 11 (not a multiple of the stride), 2 -> 3 channels.
  const x = rand([2, 10, 11, 2]) as tf.Tensor4D, w = rand([3, 3, 2, 3]) as tf.Tensor4D;
  const [ox, ow] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(conv(a as tf.Tensor4D, b as tf.Tensor4D, 3))))([x, w]);
  const [rx, rw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 3, 'valid'))))([x, w]);
  close(ox, rx);
  close(ow, rw);
  // Transposed convolution 3 x 3 x 4 -> 8 x 8 x 2 with a 2 x 2 kernel, stride 3.
  const z = rand([2, 3, 3, 4]) as tf.Tensor4D, v = rand([2, 2, 2, 4]) as tf.Tensor4D;
  const out: [number, number, number, number] = [2, 8, 8, 2];
  const [oz, ov] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(convTranspose(a as tf.Tensor4D, b as tf.Tensor4D, 3, out))))([z, v]);
  const [rz, rv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, out, 3, 'valid'))))([z, v]);
  close(oz, rz);
  close(ov, rv);
  await tf.setBackend(previous);
});

test('the autoencoder loss decreases on a small sample; same seed, same codes', async () => {
  await initBackend();
  const n = 32;
  const x = squares(n, 3);
  const shape = imageShape([1, 28, 28], {});
  const options = { epochs: 3, batchSize: 8, learningRate: 3e-3, weightDecay: 1e-5, seed: 7 };
  const a = trainAutoencoder(x, n, x, 10, shape, options);
  assert.equal(a.losses.length, 3);
  assert.equal(a.codes.length, 10 * 32);
  assert.ok(a.codes.every(Number.isFinite));
  // Codes come after ReLU and max-pooling: never negative.
  assert.ok(a.codes.every((v) => v >= 0));
  assert.ok(a.losses[2] < a.losses[0], `epoch losses ${a.losses.join(', ')}`);
  assert.ok(a.losses[2] < 0.9 * a.initialLoss, `initial ${a.initialLoss}, last ${a.losses[2]}`);
  const b = trainAutoencoder(x, n, x, 10, shape, options);
  assert.deepEqual(b.losses, a.losses);
  assert.deepEqual(Array.from(b.codes), Array.from(a.codes));
});

test('image shape checks and channel-major to channels-last by hand', () => {
  assert.deepEqual(imageShape([3, 32, 32], {}), { channels: 3, height: 32, width: 32 });
  assert.deepEqual(imageShape([28, 28], {}), { channels: 1, height: 28, width: 28 });
  for (const bad of [[784], [1, 8, 8], [1, 40, 28]]) {
    assert.throws(() => imageShape(bad, { file: 'dataset.arrow', field: 'input_shape' }),
      (e: unknown) => e instanceof ElasticityError && /^dataset\.arrow: input_shape: the convolutional autoencoder baseline needs image examples/.test(e.message));
  }
  // One 2-channel 1 x 2 "image": channel-major [a0 a1 | b0 b1] -> channels-last [a0 b0 a1 b1].
  assert.deepEqual(Array.from(toChannelsLast(Float32Array.of(1, 2, 3, 4), 1, { channels: 2, height: 1, width: 2 })), [1, 3, 2, 4]);
});
