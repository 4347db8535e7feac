import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, ElasticityError, initBackend } from '@elasticity/core';
import { createProducts, definitionOutput, mlpNetFeatures, mlpNetFromDense } from '@elasticity/mlp-engine';
import type { MlpNet } from '@elasticity/mlp-engine';
import { AUTHORS_ETA_FACTOR, AUTHORS_ETA_START, authorsEta, chooseEta, float32Change, saturatedInFloat32 } from './eta.ts';
import { fastMlpProbe, fastNetProbe } from './fast-mlp-probe.ts';
import { genericProbe } from './generic-probe.ts';
import type { ProbeLoss } from './probe-loss.ts';
import type { ProbeMode } from './probe-result.ts';
import { referenceNetProbe } from './reference-probe.ts';
import { matrixSelfChange } from './self-change.ts';
import { forward64, mlpToModel, outputGradient, randomInputs, randomMlp, zooNets } from './test-support.ts';

await initBackend();

test('authorsEta multiplies 1e-6 by 3 until the change is not 0', async () => {
  const tried: number[] = [];
  const eta = await authorsEta((e) => {
    tried.push(e);
    return e > 2e-5 ? 1e-9 : 0;
  });
  assert.deepEqual(tried.map((e) => Math.round(e / AUTHORS_ETA_START)), [1, 3, 9, 27]);
  assert.equal(eta, tried[3]);
  await assert.rejects(authorsEta(() => 0, { file: 'p.json', field: 'probe.eta' }), (e: unknown) => e instanceof ElasticityError && /p\.json: probe\.eta/.test(e.message));
});

test("chooseEta: a row whose exact change no step of the schedule shows in float32 takes the first step; a zero or non-finite change is an error", async () => {
  // 1 - 1e-9 rounds to 1 in float32 (the gap below 1 is 2^-24 = 6e-8) and 1e-50 to 0: a change further out never shows
  assert.ok(saturatedInFloat32(1 - 1e-9) && saturatedInFloat32(1e-50) && !saturatedInFloat32(1 - 1e-7) && !saturatedInFloat32(1e-30));
  let tries = 0;
  // (a sigmoid's change toward 1 stays below 1 - p)
  const outward = (e: number) => (tries++, 0.99e-9 * (e / (1 + e)));
  assert.deepEqual(await chooseEta('authors', 1 - 1e-9, outward), { eta: AUTHORS_ETA_START, invisible: true });
  assert.equal(tries, 22, 'the whole schedule (1e-6 to 3486.8, 21 steps) is tried, then the first step once more');
  assert.deepEqual(await chooseEta('authors', 1e-50, (e) => -1e-60 * e), { eta: AUTHORS_ETA_START, invisible: true });
  // 1 - 4e-8 rounds to 1 - 2^-24 in float32; a change toward 1 below 1e-8 everywhere on the schedule never shows either
  assert.ok(!saturatedInFloat32(1 - 4e-8));
  assert.deepEqual(await chooseEta('authors', 1 - 4e-8, (e) => 1e-12 * e), { eta: AUTHORS_ETA_START, invisible: true });
  // a change a step of the schedule shows (an example of class 0 at p = 1 - 1e-9, moving down): the search's own step
  // (-1e-3 eta: below half the float32 gap under 1, 3e-8, up to eta 2.7e-5; 8.1e-5 shows)
  const back = await chooseEta('authors', 1 - 1e-9, (e) => -1e-3 * e);
  assert.ok(!back.invisible && Math.abs(back.eta / (AUTHORS_ETA_START * AUTHORS_ETA_FACTOR ** 4) - 1) < 1e-12, `eta ${back.eta}`);
  // a change that is exactly 0 (zero gradient) or not finite: no similarity, an error naming the field
  const where = { file: 'p.json', field: 'probe.eta' };
  const fails = (e: unknown) => e instanceof ElasticityError && /p\.json: probe\.eta/.test(e.message);
  await assert.rejects(chooseEta('authors', 0.5, () => 0, where), fails);
  await assert.rejects(chooseEta('authors', 0.5, () => NaN, where), fails);
  assert.deepEqual(await chooseEta(0.01, 1 - 1e-9, outward), { eta: 0.01, invisible: false });
});

test('float32Change is the difference of the two outputs rounded to float32', () => {
  // 1 and 1 + 2^-23 are neighbours in float32: half the gap rounds to even (back to 1), more than half does not
  assert.equal(float32Change(1, 2 ** -24), 0);
  assert.equal(float32Change(1, 1.01 * 2 ** -24), 2 ** -23);
  assert.equal(float32Change(1, -(2 ** -26)), 0);
  assert.equal(float32Change(1, -1.01 * 2 ** -25), -(2 ** -24));
  // ulp(1e-3) in float32 is 2^-33 (1.2e-10): a change of three of them always shows, at any position between neighbours
  assert.notEqual(float32Change(1e-3, 3.5e-10), 0);
  assert.equal(float32Change(1e-3, 1e-13), Math.fround(1e-3 + 1e-13) - Math.fround(1e-3));
});

/**
 * The authors' search row by row from the definition: for each step of the
 * schedule, the float64 reference probe of that one row (explicit gradient,
 * weight step, two forward passes) and its two outputs rounded to float32.
 * Online mode: each row's step is then kept, as the probe keeps it.
 */
function rowByRowEtas(net0: MlpNet, x: Float32Array, n: number, targets: ArrayLike<number>, rows: number[], loss: ProbeLoss, mode: ProbeMode = 'reset'): number[] {
  let net = net0;
  return rows.map((i) => {
    const ex = { x, n, targets, rows: [i], columns: [i] };
    const out = definitionOutput(net, x, i * net.d);
    let eta = AUTHORS_ETA_START;
    while (float32Change(out, referenceNetProbe(net, ex, loss, eta).result.self[0]) === 0) eta *= AUTHORS_ETA_FACTOR;
    if (mode === 'online') net = referenceNetProbe(net, ex, loss, eta, 'online').net;
    return eta;
  });
}

/** Targets that leave each example's residual f - y at the given size: tiny residuals need several factors of 3. */
function targetsWithResiduals(net: MlpNet, x: Float32Array, n: number, loss: ProbeLoss, residuals: number[]): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => {
    const f = definitionOutput(net, x, j * net.d);
    const r = residuals[j % residuals.length];
    // BCE: p - y with y in (0, 1)
    return loss === 'bce' ? f - r * Math.min(f, 1 - f) : f - r;
  });
}

test("the batched authors' search picks the row-by-row search's eta on every row of every MLP-family model (several factors of 3 included), and the probe at those etas is the same to the bit", async () => {
  const rng = createRng(31);
  const d = 7, h = 12, n = 10;
  const x = randomInputs(rng, n, d);
  const residuals = [0.3, 1e-4, -3e-6, 2e-7, -5e-8, 1e-8, 2e-9];
  let multi = 0;
  for (const [name, net] of Object.entries(zooNets(rng, d, h))) {
    const loss: ProbeLoss = net.sigmoidOutput ? 'bce' : 'mse';
    const targets = targetsWithResiduals(net, x, n, loss, residuals);
    const rows = [0, 1, 2, 3, 4, 5, 6, 9];
    const ex = { x, n, targets, rows };
    const want = rowByRowEtas(net, x, n, targets, rows, loss);
    const { result } = await fastNetProbe(net, ex, loss, 'authors');
    assert.deepEqual(Array.from(result.eta), want, `${name}: authors' eta per row`);
    multi += want.filter((e) => e >= AUTHORS_ETA_START * AUTHORS_ETA_FACTOR ** 2 * 0.999).length;
    // given the same etas, the probe is the one the search ran
    const given = (await fastNetProbe(net, ex, loss, want)).result;
    assert.deepEqual(Array.from(given.delta), Array.from(result.delta), `${name}: probe at the searched etas`);
    assert.deepEqual(Array.from(given.self), Array.from(result.self));
    // online mode (layer by layer) searches at the weights each step starts from
    const online = await fastNetProbe(net, ex, loss, 'authors', { mode: 'online' });
    assert.deepEqual(Array.from(online.result.eta), rowByRowEtas(net, x, n, targets, rows, loss, 'online'), `${name}: online`);
  }
  assert.ok(multi >= 20, `rows needing two or more factors of 3: ${multi}`);
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
  // the exact change is not 0 at any step: float32 outputs lose it below the chosen one
  const net = mlpNetFromDense(mlp);
  const out = forward64(mlp, x, 0).out;
  const selfAt = (eta: number) => referenceNetProbe(net, { ...ex, rows: [0], columns: [0] }, 'mse', eta).result.self[0];
  assert.ok(selfAt(fast.eta[0] / 3) !== 0 && Math.abs(selfAt(fast.eta[0] / 3)) < 6e-8, `exact change one step below: ${selfAt(fast.eta[0] / 3)}`);
  assert.equal(float32Change(out, selfAt(fast.eta[0] / 3)), 0);
  assert.notEqual(float32Change(out, selfAt(fast.eta[0])), 0);
  // a float32 framework (tfjs) also rounds every weight update to float32: at this step most of them round
  // away (w - eta g == w in float32) and its two forward passes give the same output, so it needs a larger step
  const g = outputGradient(mlp, x, 0);
  const w = [...mlp.W, ...mlp.b, ...mlp.a, mlp.c];
  const slope = 2 * (out - 1);
  const moved = w.filter((v, q) => Math.fround(v - Math.fround(fast.eta[0] * Math.fround(slope * g[q]))) !== v).length;
  assert.ok(moved < 0.1 * w.length, `${moved} of ${w.length} weights move in float32`);
  const generic = await genericProbe(mlpToModel(mlp), ex, 'mse', 'authors');
  const factors = Math.log(generic.eta[0] / fast.eta[0]) / Math.log(3);
  assert.ok(factors > 0.999 && factors < 3.001, `tfjs eta ${generic.eta[0]} vs ${fast.eta[0]}`);
  assert.equal(generic.eta[1], AUTHORS_ETA_START);
  // a fixed eta is recorded on every row
  assert.deepEqual(Array.from((await fastMlpProbe(mlp, ex, 'mse', 0.25)).eta), [0.25, 0.25]);
});

test('float32 features: the change at the probed example (near-zero list, or its row of h once steps reach past it) equals the float64 reference for small and large steps', async () => {
  const rng = createRng(45);
  const d = 40, h = 300, n = 30;
  const x = randomInputs(rng, n, d);
  const rows = [4, 0, 29, 11, 11, 17];
  const products = createProducts({ precision: 'float32', threads: 0 });
  for (const sigmoidOutput of [false, true]) {
    const net = mlpNetFromDense(randomMlp(rng, d, h, 'relu', sigmoidOutput));
    const lean = await mlpNetFeatures(net, x, n, products, { masks: true, rowMajor: false });
    assert.ok(!lean.pre[0] && lean.kMajor?.[0]?.nearZero, 'k-major float32 features with a near-zero list');
    const self = await matrixSelfChange(net, lean, x, rows, products);
    let switchedOff = 0;
    for (const e of [1e-9, 1e-4, 3e-2, 0.3]) {
      for (const [r, i] of rows.entries()) {
        // the reference takes eta l'; a target with l' = 1 (squared loss: y = f - 1/2; sigmoid: its logit change through d out/d logit)
        const got = await self(r, e);
        const want = referenceLogitChange(net, x, i, e);
        assert.ok(Math.abs(got - want) <= 1e-6 * Math.abs(want), `sigmoid ${sigmoidOutput}, e ${e}, row ${r}: ${got} vs ${want}`);
        if (e === 0.3) switchedOff += unitsSwitchedOff(net, x, i, e);
      }
    }
    assert.ok(switchedOff > 0, 'large steps must switch units off at the probed examples themselves');
  }
});

/** The logit change at x_i after w <- w - e grad_w logit(x_i), by the definition (float64 reference probe of a linear-output copy of the net). */
function referenceLogitChange(net: MlpNet, x: Float32Array, i: number, e: number): number {
  const linear = { ...net, sigmoidOutput: false };
  const f = definitionOutput(linear, x, i * net.d);
  // squared loss with y = f - 1/2 gives l' = 1, so eta = e
  const targets = new Float64Array(x.length / net.d);
  targets[i] = f - 0.5;
  return referenceNetProbe(linear, { x, n: targets.length, targets, rows: [i], columns: [i] }, 'mse', e).result.self[0];
}

/** ReLU units on at x_i that the step w <- w - e grad logit(x_i) switches off there. */
function unitsSwitchedOff(net: MlpNet, x: Float32Array, i: number, e: number): number {
  const { W, b, units, inputs } = net.layers[0];
  let g = 1;
  for (let p = 0; p < inputs; p++) g += x[i * inputs + p] ** 2;
  let count = 0;
  for (let k = 0; k < units; k++) {
    let v = b[k];
    for (let p = 0; p < inputs; p++) v += W[k * inputs + p] * x[i * inputs + p];
    if (v > 0 && v - e * g * net.a[k] <= 0) count++;
  }
  return count;
}

test("rows whose sigmoid output is 1 in float32 (the trained linear BCE net's case) take the first step, are listed, and their kernelized row is the NTK's", async () => {
  const rng = createRng(12);
  const d = 9, h = 16, n = 6;
  const x = randomInputs(rng, n, d);
  const targets = Float32Array.from([1, 0, 1, 0, 1, 1]);
  const rows = [0, 1, 2, 3, 4, 5];
  for (const hidden of ['linear', 'relu'] as const) {
    const mlp = randomMlp(rng, d, h, hidden, true);
    // every logit near 20: p = 1 - 2e-9 rounds to 1 in float32, and moving a class-1 row up never shows there
    mlp.c = Math.fround(mlp.c + 20 - forward64(mlp, x, 0).z);
    const classOne = rows.filter((i) => targets[i] === 1);
    assert.ok(classOne.every((i) => saturatedInFloat32(forward64(mlp, x, i).out)), `${hidden}: class-1 outputs are 1 in float32`);
    const net = mlpNetFromDense(mlp);
    const { result } = await fastNetProbe(net, { x, n, targets, rows }, 'bce', 'authors');
    assert.deepEqual(result.invisibleRows, classOne, `${hidden}: rows listed`);
    for (const r of classOne) assert.equal(result.eta[r], AUTHORS_ETA_START);
    // the class-0 rows (p = 1 moving down) keep the search's own step, the one the row-by-row definition finds
    const others = rows.filter((i) => targets[i] === 0);
    assert.deepEqual(others.map((r) => result.eta[r]), rowByRowEtas(net, x, n, targets, others, 'bce'), `${hidden}: searched rows`);
    // S_ker(x_i, x_j) = -delta / (eta l') tends to <grad p_i, grad p_j> (chain rule, float64); eta 1e-6 moves the logit by ~1e-11
    for (const r of classOne) {
      const gi = outputGradient(mlp, x, r * d);
      const kernel = rows.map((j) => outputGradient(mlp, x, j * d).reduce((acc, v, q) => acc + v * gi[q], 0));
      const scale = Math.max(...kernel.map(Math.abs));
      rows.forEach((j) => {
        const sKer = -result.delta[r * n + j] / (result.eta[r] * result.lossSlope[r]);
        assert.ok(Math.abs(sKer - kernel[j]) <= 1e-5 * scale, `${hidden}: S_ker(${r}, ${j}) ${sKer} vs K ${kernel[j]}`);
      });
      assert.ok(result.self[r] > 0, 'the exact change at the probed example is positive (toward y = 1)');
    }
    // online (layer by layer): every change finite, the rows without a visible step listed
    const online = await fastNetProbe(net, { x, n, targets, rows }, 'bce', 'authors', { mode: 'online' });
    assert.ok(online.result.invisibleRows.length >= 2 && online.result.delta.every(Number.isFinite), `${hidden}: online`);
    for (const r of online.result.invisibleRows) assert.equal(online.result.eta[r], AUTHORS_ETA_START);
  }
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
