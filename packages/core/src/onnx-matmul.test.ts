import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from './rng.ts';
import { openOnnxMatMul } from './onnx-matmul.ts';
import { worstRelativeError } from './testing/product-error.ts';

const session = await openOnnxMatMul();
const skip = session ? false : 'onnxruntime-node is not installed';

function random(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

test('into writes A B into the given buffer, within float32 accumulation error of the float64 product, from views at any offset', { skip }, async () => {
  const m = 37, k = 300, n = 11;
  // operands placed at odd offsets inside larger buffers
  const aBuf = random(5 + m * k + 3, 1), bBuf = random(7 + k * n, 2);
  const a = aBuf.subarray(5, 5 + m * k), b = bBuf.subarray(7);
  const outBuf = new Float32Array(2 + m * n + 4).fill(9);
  const out = outBuf.subarray(2, 2 + m * n);
  await session!.into(a, b, m, k, n, out);
  assert.deepEqual([outBuf[0], outBuf[1], outBuf[2 + m * n]], [9, 9, 9], 'nothing written outside the view');
  const worst = worstRelativeError(a, b, out, m, k, n);
  assert.ok(worst < (k + 3) * 2 ** -24, `relative error ${worst}`);
});

test('into multiplies by a leading block of rows of a longer operand (m x k of a longer A), and refuses operands too short', { skip }, async () => {
  const a = random(6 * 4, 3), b = random(4 * 2, 4);
  const first = new Float32Array(2 * 2), whole = new Float32Array(6 * 2);
  await session!.into(a, b, 2, 4, 2, first);
  await session!.into(a, b, 6, 4, 2, whole);
  assert.deepEqual(first, whole.subarray(0, 4));
  await assert.rejects(session!.into(a, b, 7, 4, 2, new Float32Array(14)), /MatMul 7x4 by 4x2: an operand is too short/);
});

test('release ends the session', { skip }, async () => {
  const own = await openOnnxMatMul();
  await own!.release();
  await session!.release();
});
