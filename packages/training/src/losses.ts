import { tf } from '@elasticity/core/tf';
import type { LossKind } from './models/model-spec.ts';

/**
 * Clipping of the sigmoid output inside binary cross-entropy: p is clipped to
 * [BCE_EPSILON, 1 - BCE_EPSILON] before the logs, both ends rounded to
 * float32 as TensorFlow.js does (BCE_CLIP_LOW = 1e-7, BCE_CLIP_HIGH =
 * 1 - 2^-23 ~ 1 - 1.19e-7), so one example's loss is at most ~16.1 and
 * never Inf; the float64 versions below clip at the same two numbers. PyTorch's BCELoss instead clamps each
 * log at -100; the two agree whenever 1e-7 < p < 1 - 1e-7.
 * The gradient with respect to p is (p_c - y) / (p_c (1 - p_c)) / n with the
 * clipped p_c (method.md section 1), so a saturated wrong output still gets a
 * finite, non-zero gradient (a plain clip would give zero there).
 */
export const BCE_EPSILON = 1e-7;
export const BCE_CLIP_LOW = Math.fround(BCE_EPSILON);
export const BCE_CLIP_HIGH = Math.fround(1 - BCE_EPSILON);

/** Squared loss as PyTorch MSELoss: mean over the batch of (f - y)^2. f, y: [n, 1]. */
export function mseLoss(f: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(f, y));
}

/**
 * Binary cross-entropy on a sigmoid output p (shape [n, 1]):
 * mean over the batch of -(y log p + (1 - y) log(1 - p)), p clipped (BCE_EPSILON).
 * Differentiable in p only (labels get a zero gradient).
 */
export const bceLoss: (p: tf.Tensor, y: tf.Tensor) => tf.Scalar = tf.customGrad(
  (...inputs: Array<tf.Tensor | ((tensors: tf.Tensor[]) => void)>) => {
    const [p, y, save] = inputs as [tf.Tensor, tf.Tensor, (tensors: tf.Tensor[]) => void];
    const pc = tf.clipByValue(p, BCE_CLIP_LOW, BCE_CLIP_HIGH);
    save([pc, y]);
    const perExample = tf.neg(tf.add(tf.mul(y, tf.log(pc)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, pc)))));
    return {
      value: tf.mean(perExample) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [spc, sy] = saved;
        const dp = tf.div(tf.sub(spc, sy), tf.mul(spc, tf.sub(1, spc)));
        return [tf.mul(dy, tf.div(dp, spc.size)), tf.zerosLike(sy)];
      },
    };
  },
) as (p: tf.Tensor, y: tf.Tensor) => tf.Scalar;

export function lossFunction(kind: LossKind): (out: tf.Tensor, y: tf.Tensor) => tf.Scalar {
  return kind === 'mse' ? mseLoss : bceLoss;
}

// ---- plain JS float64 versions (reference for tests and exact probes) ----

/** Mean of (f - y)^2 in float64. */
export function mseLossJs(f: ArrayLike<number>, y: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < f.length; i++) sum += (f[i] - y[i]) ** 2;
  return sum / f.length;
}

function clipP(p: number): number {
  return Math.min(BCE_CLIP_HIGH, Math.max(BCE_CLIP_LOW, p));
}

/** Mean of -(y log p + (1 - y) log(1 - p)) in float64, p clipped as bceLoss. */
export function bceLossJs(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pc = clipP(p[i]);
    sum -= y[i] * Math.log(pc) + (1 - y[i]) * Math.log(1 - pc);
  }
  return sum / p.length;
}

/**
 * l' = dL/d(output) of ONE example's loss (method.md section 1):
 * MSE 2 (f - y); BCE (p - y) / (p (1 - p)) with p clipped.
 */
export function lossDerivativeJs(kind: LossKind, out: number, y: number): number {
  if (kind === 'mse') return 2 * (out - y);
  const pc = clipP(out);
  return (pc - y) / (pc * (1 - pc));
}
