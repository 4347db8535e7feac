import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, ElasticityError, initBackend } from '@elasticity/core';
import { AUTHORS_ETA_START, authorsEta } from './eta.ts';
import { fastMlpProbe } from './fast-mlp-probe.ts';
import { genericProbe } from './generic-probe.ts';
import { float32SelfDelta } from './mlp-float32.ts';
import { referenceMlpProbe } from './reference-probe.ts';
import { forward64, mlpToModel, randomInputs, randomMlp } from './test-support.ts';

await initBackend();

test('authorsEta multiplies 1e-6 by 3 until the change is not 0', () => {
  const tried: number[] = [];
  const eta = authorsEta((e) => {
    tried.push(e);
    return e > 2e-5 ? 1e-9 : 0;
  });
  assert.deepEqual(tried.map((e) => Math.round(e / AUTHORS_ETA_START)), [1, 3, 9, 27]);
  assert.equal(eta, tried[3]);
  assert.throws(() => authorsEta(() => 0, { file: 'p.json', field: 'probe.eta' }), (e: unknown) => e instanceof ElasticityError && /p\.json: probe\.eta/.test(e.message));
});

test("the authors' schedule picks a larger eta where the float32 change vanishes, and records it per row", async () => {
  const rng = createRng(8);
  const d = 20, h = 32, n = 4;
  const mlp = randomMlp(rng, d, h, 'relu', false);
  const x = randomInputs(rng, n, d);
  // example 0 is fitted almost exactly (f = 1 - 1e-5): l' = -2e-5 and the change at eta = 1e-6 is far below float32 resolution
  mlp.c = Math.fround(mlp.c + 1 - forward64(mlp, x, 0).out - 1e-5);
  const targets = Float32Array.from([1, 0, 0, 0]);
  const ex = { x, n, targets, rows: [0, 1] };
  const fast = await fastMlpProbe(mlp, ex, 'mse', 'authors');
  const k = Math.log(fast.eta[0] / AUTHORS_ETA_START) / Math.log(3);
  assert.ok(k >= 1 && Math.abs(k - Math.round(k)) < 1e-9, `eta ${fast.eta[0]} is 1e-6 * 3^${k}`);
  assert.equal(fast.eta[1], AUTHORS_ETA_START, 'a badly fitted example needs no search');
  // the exact change at eta = 1e-6 is not 0: it is float32 that loses it (the weight updates fall below float32 resolution)
  const exact = referenceMlpProbe(mlp, { ...ex, rows: [0] }, 'mse', AUTHORS_ETA_START).delta[0];
  assert.ok(exact !== 0 && Math.abs(exact) < 1e-9, `exact change at 1e-6: ${exact}`);
  const self32 = float32SelfDelta(mlp, x, 0, 1, 'mse');
  assert.equal(self32(fast.eta[0] / 3), 0);
  assert.notEqual(self32(fast.eta[0]), 0);
  // a real float32 framework (tfjs) agrees within one factor of 3
  const generic = await genericProbe(mlpToModel(mlp), ex, 'mse', 'authors');
  assert.ok(Math.abs(Math.log(generic.eta[0] / fast.eta[0]) / Math.log(3)) <= 1.0001, `tfjs eta ${generic.eta[0]} vs ${fast.eta[0]}`);
  assert.equal(generic.eta[1], AUTHORS_ETA_START);
  // a fixed eta is recorded on every row
  assert.deepEqual(Array.from((await fastMlpProbe(mlp, ex, 'mse', 0.25)).eta), [0.25, 0.25]);
});

test('an example the model fits exactly (zero gradient) gives a clear error under the authors schedule', async () => {
  const rng = createRng(9);
  const mlp = randomMlp(rng, 3, 4, 'relu', false);
  mlp.a.fill(0);
  mlp.c = 1;
  const x = randomInputs(rng, 2, 3);
  await assert.rejects(
    fastMlpProbe(mlp, { x, n: 2, targets: Float32Array.from([1, 1]), rows: [0] }, 'mse', 'authors', { where: { file: 'p.json', field: 'probe.eta' } }),
    (e: unknown) => e instanceof ElasticityError && /float32/.test(e.message),
  );
});
