import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '@elasticity/core';
import type { DenseMlp, HiddenActivation, Rng } from '@elasticity/core';
import { mlpNtk } from './mlp-ntk.ts';

function randomMlp(rng: Rng, d: number, h: number, hidden: HiddenActivation, sigmoidOutput: boolean): DenseMlp {
  const u = (s: number) => rng.uniform(-s, s);
  return {
    d, h, hidden, sigmoidOutput,
    W: Float64Array.from({ length: h * d }, () => u(1 / Math.sqrt(d))),
    b: Float64Array.from({ length: h }, () => u(1 / Math.sqrt(d))),
    a: Float64Array.from({ length: h }, () => u(1)),
    c: u(1),
  };
}

/** The model output at x for a flat parameter vector (W, b, a, c), straight from the definition. */
function output(mlp: DenseMlp, theta: Float64Array, x: Float32Array, off: number): number {
  const { d, h } = mlp;
  let z = theta[h * d + 2 * h];
  for (let k = 0; k < h; k++) {
    let v = theta[h * d + k];
    for (let p = 0; p < d; p++) v += theta[k * d + p] * x[off + p];
    const s = mlp.hidden === 'relu' ? Math.max(v, 0) : mlp.hidden === 'linear' ? v : 1 / (1 + Math.exp(-v));
    z += theta[h * d + h + k] * s;
  }
  return mlp.sigmoidOutput ? 1 / (1 + Math.exp(-z)) : z;
}

/** Central finite-difference Jacobian (n x P) of the output w.r.t. every parameter, in float64. */
function jacobian(mlp: DenseMlp, x: Float32Array, n: number): Float64Array[] {
  const theta = Float64Array.from([...mlp.W, ...mlp.b, ...mlp.a, mlp.c]);
  const step = 1e-5;
  return Array.from({ length: n }, (_, i) => theta.map((v, q) => {
    const plus = new Float64Array(theta);
    const minus = new Float64Array(theta);
    plus[q] = v + step;
    minus[q] = v - step;
    return (output(mlp, plus, x, i * mlp.d) - output(mlp, minus, x, i * mlp.d)) / (2 * step);
  }));
}

test('closed-form NTK equals inner products of finite-difference Jacobians', () => {
  const cases: Array<[HiddenActivation, boolean]> = [['relu', false], ['linear', false], ['sigmoid', false], ['relu', true], ['linear', true], ['sigmoid', true]];
  for (const [hidden, sigmoidOutput] of cases) {
    const rng = createRng(hidden.length * 10 + (sigmoidOutput ? 1 : 0));
    const d = 4, h = 6, n = 5;
    const mlp = randomMlp(rng, d, h, hidden, sigmoidOutput);
    const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
    const K = mlpNtk(mlp, x, n);
    const J = jacobian(mlp, x, n);
    let scale = 0;
    K.forEach((v) => (scale = Math.max(scale, Math.abs(v))));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const want = J[i].reduce((acc, v, q) => acc + v * J[j][q], 0);
        assert.ok(Math.abs(K[i * n + j] - want) < 1e-7 * scale, `${hidden}/${sigmoidOutput} (${i},${j}): ${K[i * n + j]} vs ${want}`);
      }
    }
    // symmetric (exactly: the same products in both orders)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(K[i * n + j], K[j * n + i]);
  }
});
