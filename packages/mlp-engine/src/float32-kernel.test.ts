import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { float32Kernel, onnxMatMul } from './float32-kernel.ts';
import type { Float32MatMul } from './float32-kernel.ts';
import { worstRelativeError } from '@elasticity/core/testing';

await initBackend('wasm');

/** Every kernel this machine has: TensorFlow.js always, ONNX Runtime where onnxruntime-node is installed. */
async function kernels(): Promise<Array<[string, Float32MatMul]>> {
  const out: Array<[string, Float32MatMul]> = [['tfjs', (await float32Kernel('tfjs', async () => tf)).kernel]];
  const onnx = await onnxMatMul();
  if (onnx) out.push(['onnx', onnx]);
  return out;
}

function random(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

test('each float32 kernel multiplies within float32 accumulation error of the float64 product', async () => {
  const m = 9, k = 700, n = 130;
  const a = random(m * k, 1), b = random(k * n, 2);
  for (const [name, matMul] of await kernels()) {
    const worst = worstRelativeError(a, b, await matMul(a, b, m, k, n), m, k, n);
    assert.ok(worst < (k + 3) * 2 ** -24 && worst > 1e-12, `${name}: ${worst}`);
  }
});

test('each float32 kernel computes an entry the same way whatever rows and columns the call has (one row, narrow, offset), so products of a row shard give the same bits', async () => {
  const m = 40, k = 600, n = 300;
  const a = random(m * k, 3), b = random(k * n, 4);
  const sub = (r0: number, r1: number, c0: number, c1: number): [Float32Array, Float32Array] => {
    const bs = new Float32Array(k * (c1 - c0));
    for (let p = 0; p < k; p++) bs.set(b.subarray(p * n + c0, p * n + c1), p * (c1 - c0));
    return [a.slice(r0 * k, r1 * k), bs];
  };
  // (shared memory too: the product workers hand the kernel views of shared arrays)
  const shared = (v: Float32Array): Float32Array => {
    const s = new Float32Array(new SharedArrayBuffer(v.length * 4));
    s.set(v);
    return s;
  };
  for (const [name, matMul] of await kernels()) {
    const full = await matMul(a, b, m, k, n);
    for (const [r0, r1] of [[0, 1], [7, 9], [5, 22], [39, 40]]) {
      for (const [c0, c1] of [[0, 3], [10, 74], [10, 75], [100, 300]]) {
        const [as, bs] = sub(r0, r1, c0, c1);
        const w = c1 - c0;
        const part = await matMul(shared(as), shared(bs), r1 - r0, k, w);
        for (let i = r0; i < r1; i++) {
          for (let j = c0; j < c1; j++) assert.equal(part[(i - r0) * w + j - c0], full[i * n + j], `${name}: rows ${r0}..${r1}, columns ${c0}..${c1}, entry ${i},${j}`);
        }
      }
    }
  }
});
