import type { HiddenActivation } from './dense-mlp.ts';

/** Logistic sigmoid without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * sigmoid(z + t) - sigmoid(z) without cancellation:
 * = -expm1(-t) sigmoid(z + t) sigmoid(-z) for t >= 0, expm1(t) sigmoid(-z - t) sigmoid(z) for t < 0
 * (both factors |expm1| <= 1, so nothing overflows).
 */
export function sigmoidDifference(z: number, t: number): number {
  if (t >= 0) return -Math.expm1(-t) * sigmoid(z + t) * sigmoid(-z);
  return Math.expm1(t) * sigmoid(-z - t) * sigmoid(z);
}

/** s(h) for a hidden activation. */
export function activate(kind: HiddenActivation, h: number): number {
  if (kind === 'relu') return h > 0 ? h : 0;
  if (kind === 'linear') return h;
  return sigmoid(h);
}

/** s'(h) (ReLU: 1 for h > 0, else 0, as PyTorch and TensorFlow.js define it). */
export function activationSlope(kind: HiddenActivation, h: number): number {
  if (kind === 'relu') return h > 0 ? 1 : 0;
  if (kind === 'linear') return 1;
  const s = sigmoid(h);
  return s * sigmoid(-h);
}
