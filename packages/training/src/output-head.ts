import { BCE_CLIP_HIGH, BCE_CLIP_LOW } from './losses.ts';
import type { LossKind } from './models/model-spec.ts';

/** Both the MSE and the sigmoid (BCE) models predict class 1 when the output is > 0.5. */
export const DECISION_THRESHOLD = 0.5;

export interface HeadResult {
  /** Batch-mean loss. */
  loss: number;
  /** Examples classified right (output > 0.5 <-> label > 0.5). */
  correct: number;
  /** dLoss/dz_i of the batch-mean loss, z the output layer's pre-activation. */
  dz: Float64Array;
}

/**
 * The output end of a model in float64, from the last layer's
 * pre-activations z: out = z (MSE models) or p = sigmoid(z) (BCE models).
 * MSE: loss mean (z - y)^2, dz = 2 (z - y) / n. BCE: p clipped to
 * [BCE_CLIP_LOW, BCE_CLIP_HIGH] inside the logs, loss mean -(y log pc +
 * (1-y) log(1-pc)), dz = (pc - y) / (pc (1 - pc)) * p (1 - p) / n: the same
 * chain as bceLoss's gradient times the sigmoid's (so the explicit-gradient
 * MLP path equals autograd up to float rounding).
 */
export function outputHead(z: ArrayLike<number>, y: ArrayLike<number>, loss: LossKind, sigmoidOutput: boolean): HeadResult {
  const n = y.length;
  const dz = new Float64Array(n);
  let sum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const out = sigmoidOutput ? 1 / (1 + Math.exp(-z[i])) : z[i];
    if ((out > DECISION_THRESHOLD) === (y[i] > DECISION_THRESHOLD)) correct++;
    const slope = sigmoidOutput ? out * (1 - out) : 1;
    if (loss === 'mse') {
      sum += (out - y[i]) ** 2;
      dz[i] = (2 * (out - y[i]) * slope) / n;
    } else {
      const pc = Math.min(BCE_CLIP_HIGH, Math.max(BCE_CLIP_LOW, out));
      sum -= y[i] * Math.log(pc) + (1 - y[i]) * Math.log(1 - pc);
      dz[i] = ((pc - y[i]) / (pc * (1 - pc))) * slope / n;
    }
  }
  return { loss: sum / n, correct, dz };
}
