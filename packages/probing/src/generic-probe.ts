import { ElasticityError, tf } from '@elasticity/core';
import { authorsEta } from './eta.ts';
import type { EtaSetting } from './eta.ts';
import { lossSlope } from './probe-loss.ts';
import type { ProbeLoss } from './probe-loss.ts';
import type { ProbeExamples, ProbeResult } from './probe-result.ts';

export interface GenericProbeOptions {
  /** Shape of one input as the model takes it (default [d]). */
  inputShape?: number[];
  /** Examples per forward pass. */
  batchSize?: number;
  onRow?: () => void;
  where?: { file?: string; field?: string };
}

/**
 * Probing by the definition for any tf.LayersModel with one scalar output,
 * in the model's own float32 arithmetic: for each probed example, the
 * gradient of its one-example loss w.r.t. every trainable weight
 * (l' times the gradient of the output), the step w+ = w - eta l' grad f,
 * a batched forward pass of all examples at w+, the difference from the
 * outputs at w, and the weights restored. With eta 'authors' the step is
 * searched (1e-6 * 3^k) until the float32 change at the probed example
 * itself is not 0. Differences are float32 forward differences: they carry
 * rounding error of order 1e-7 |f| / |delta|.
 */
export async function genericProbe(
  model: tf.LayersModel, ex: ProbeExamples, loss: ProbeLoss, eta: EtaSetting, options: GenericProbeOptions = {},
): Promise<ProbeResult> {
  const { n, rows } = ex;
  const d = ex.x.length / n;
  const inputShape = options.inputShape ?? [d];
  const batchSize = options.batchSize ?? 256;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const saved = vars.map((v) => tf.keep(v.clone()));
  const xAll = tf.tensor(ex.x instanceof Float32Array ? ex.x : Float32Array.from(ex.x), [n, ...inputShape]);
  const predictAll = (): Float32Array => tf.tidy(() => {
    const out = model.predict(xAll, { batchSize }) as tf.Tensor;
    if (out.size !== n) throw new ElasticityError(`the model must have one scalar output per example, got shape ${JSON.stringify(out.shape)}`, options.where);
    return out.dataSync() as Float32Array;
  });
  const forwardOne = (xi: tf.Tensor): number => tf.tidy(() => (model.apply(xi) as tf.Tensor).dataSync()[0]);
  const restore = (): void => vars.forEach((v, q) => v.assign(saved[q]));
  const delta = new Float64Array(rows.length * n);
  const etas = new Float64Array(rows.length);
  const slopes = new Float64Array(rows.length);
  try {
    const base = predictAll();
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      const xi = xAll.slice(i, 1);
      // gradient of the output at x_i w.r.t. every trainable weight
      const { value, grads } = tf.variableGrads(() => (model.apply(xi) as tf.Tensor).sum() as tf.Scalar, vars);
      // the output itself from the same forward path as the probes below (under a gradient tape
      // tfjs runs unfused kernels, whose float32 result can differ in the last bits)
      const out = forwardOne(xi);
      const slope = lossSlope(loss, out, ex.targets[i]);
      if (!Number.isFinite(slope)) {
        throw new ElasticityError(`l' = dL/df is not finite at probed example ${i} (output ${out}, loss ${loss})`, options.where);
      }
      // gradient of the one-example loss, in float32 as a framework stores it
      const lossGrads = vars.map((v) => tf.mul(grads[v.name], slope));
      const stepTo = (step: number): void => vars.forEach((v, q) => v.assign(tf.tidy(() => tf.sub(saved[q], tf.mul(lossGrads[q], step)))));
      const selfChange = (step: number): number => {
        stepTo(step);
        return Math.fround(forwardOne(xi) - out);
      };
      const step = eta === 'authors' ? authorsEta(selfChange, options.where) : eta;
      stepTo(step);
      const plus = predictAll();
      for (let j = 0; j < n; j++) delta[r * n + j] = plus[j] - base[j];
      restore();
      etas[r] = step;
      slopes[r] = slope;
      tf.dispose([xi, value, ...Object.values(grads), ...lossGrads]);
      options.onRow?.();
    }
  } finally {
    restore();
    tf.dispose([xAll, ...saved]);
  }
  return { rows, n, delta, eta: etas, lossSlope: slopes };
}
