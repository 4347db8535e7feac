import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '@elasticity/core';
import { fanInOf, initBound, initPyTorchDefault } from './init.ts';
import { getModelSpec } from './models/zoo.ts';

before(async () => {
  await initBackend('auto');
});

function weightsOf(seed: number, d = 50, H = 200): Float32Array[] {
  const model = getModelSpec('MLPNet').build({ inputShape: [d], width: H });
  initPyTorchDefault(model, seed);
  const arrays = model.getWeights().map((t) => Float32Array.from(t.dataSync()));
  model.dispose();
  return arrays;
}

describe('PyTorch default init', () => {
  test('fan_in of dense and conv kernels', () => {
    assert.equal(fanInOf([784, 1024]), 784);
    assert.equal(fanInOf([5, 5, 20, 50]), 500);
    assert.equal(initBound(400), 0.05);
  });

  test('every weight and bias lies in [-1/sqrt(fan_in), 1/sqrt(fan_in)] and fills the interval uniformly', () => {
    const [W1, b1, W2, b2] = weightsOf(0);
    assert.deepEqual([W1.length, b1.length, W2.length, b2.length], [50 * 200, 200, 200, 1]);
    const groups: Array<[Float32Array, number]> = [[W1, 50], [b1, 50], [W2, 200], [b2, 200]];
    for (const [values, fanIn] of groups) {
      const bound = Math.fround(1 / Math.sqrt(fanIn));
      for (const v of values) assert.ok(Math.abs(v) <= bound, `${v} outside +-${bound}`);
    }
    // Spread: the large groups reach both ends of the interval, with mean ~0 and variance ~bound^2/3.
    for (const [values, fanIn] of [[W1, 50], [b1, 50], [W2, 200]] as Array<[Float32Array, number]>) {
      const bound = 1 / Math.sqrt(fanIn);
      const n = values.length;
      const min = Math.min(...values);
      const max = Math.max(...values);
      const tail = 1 - 2 * 20 / n; // expected gap to each end ~ 2*bound/n; allow 20x
      assert.ok(min < -bound * Math.min(tail, 0.97) && max > bound * Math.min(tail, 0.97), `min ${min}, max ${max}, bound ${bound}`);
      const mean = values.reduce((s, v) => s + v, 0) / n;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
      const sd = bound / Math.sqrt(3);
      assert.ok(Math.abs(mean) < 5 * sd / Math.sqrt(n), `mean ${mean}`);
      assert.ok(Math.abs(variance / (sd * sd) - 1) < 5 * Math.sqrt(0.8 / n), `variance ratio ${variance / (sd * sd)}`);
    }
  });

  test('same seed gives bit-identical weights, another seed different ones', () => {
    const a = weightsOf(7);
    const b = weightsOf(7);
    const c = weightsOf(8);
    a.forEach((w, i) => assert.deepEqual(Buffer.from(w.buffer), Buffer.from(b[i].buffer)));
    assert.notDeepEqual(Buffer.from(a[0].buffer), Buffer.from(c[0].buffer));
  });

  test('the sigmoid model is initialised the same way (the sigmoid has no weights)', () => {
    const model = getModelSpec('MLPProb').build({ inputShape: [50], width: 200 });
    initPyTorchDefault(model, 7);
    const w = model.getWeights().map((t) => Float32Array.from(t.dataSync()));
    model.dispose();
    const ref = weightsOf(7);
    w.forEach((v, i) => assert.deepEqual(v, ref[i]));
  });
});
