import { ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { gradientBackendFor, onBackend } from '@elasticity/mlp-engine';
import { authorsEta, saturatedInFloat32 } from './eta.ts';
import type { EtaSetting } from './eta.ts';
import { lossSlope } from './probe-loss.ts';
import type { ProbeLoss } from './probe-loss.ts';
import { allIndices } from './probe-result.ts';
import type { ProbeExamples, ProbeMode, ProbeResult } from './probe-result.ts';

export interface GenericProbeOptions {
  /** Shape of one input as the model takes it (default [d]). */
  inputShape?: number[];
  /** Examples per forward pass. */
  batchSize?: number;
  /** 'reset' (default): weights restored after every probe; 'online': each step is kept and the model ends at the epoch's weights. */
  mode?: ProbeMode;
  onRow?: () => void;
  where?: { file?: string; field?: string };
}

/**
 * Probing by the definition for any tf.LayersModel with one scalar output,
 * in the model's own float32 arithmetic: for each probed example, the
 * gradient of its one-example loss w.r.t. every trainable weight
 * (l' times the gradient of the output), the step w+ = w - eta l' grad f,
 * a batched forward pass of the measured examples at w+, and the
 * difference from the outputs before the step. 'reset' restores the
 * weights after every probe (the authors' protocol); 'online' keeps every
 * step, so the rows record one SGD epoch (batch size 1) over the probed
 * examples in order and the model is left at the weights after the epoch.
 * With eta 'authors' the step is searched (1e-6 * 3^k) until the float32
 * change at the probed example itself is not 0. Differences are float32
 * forward differences: they carry rounding error of order 1e-7 |f| / |delta|.
 */
export async function genericProbe(
  model: tf.LayersModel, ex: ProbeExamples, loss: ProbeLoss, eta: EtaSetting | ArrayLike<number>, options: GenericProbeOptions = {},
): Promise<ProbeResult> {
  const { n: N, rows } = ex;
  const columns = ex.columns ?? allIndices(N);
  const n = columns.length;
  const columnOf = new Map(columns.map((j, c) => [j, c]));
  const mode = options.mode ?? 'reset';
  const d = ex.x.length / N;
  const inputShape = options.inputShape ?? [d];
  const batchSize = options.batchSize ?? 256;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const saved = vars.map((v) => tf.keep(v.clone()));
  const gradBackend = gradientBackendFor(model);
  const x32 = ex.x instanceof Float32Array ? ex.x : Float32Array.from(ex.x);
  const xMeasured = tf.tidy(() => tf.gather(tf.tensor(x32, [N, ...inputShape]), Int32Array.from(columns)));
  const predictAll = (): Float32Array => tf.tidy(() => {
    const out = model.predict(xMeasured, { batchSize }) as tf.Tensor;
    if (out.size !== n) throw new ElasticityError(`the model must have one scalar output per example, got shape ${JSON.stringify(out.shape)}`, options.where);
    return out.dataSync() as Float32Array;
  });
  const forwardOne = (xi: tf.Tensor): number => tf.tidy(() => (model.apply(xi) as tf.Tensor).dataSync()[0]);
  const [recStart, recEnd] = mode === 'online' && ex.record ? ex.record : [0, rows.length];
  const nr = recEnd - recStart;
  const delta = new Float64Array(nr * n);
  const self = new Float64Array(nr);
  const etas = new Float64Array(nr);
  const slopes = new Float64Array(nr);
  let start = vars.map((v) => tf.keep(v.clone()));
  const restore = (to: tf.Tensor[]): void => vars.forEach((v, q) => v.assign(to[q]));
  try {
    let base = predictAll();
    for (let t = 0; t < recEnd; t++) {
      const i = rows[t];
      const r = t - recStart;
      const xi = tf.tensor(x32.subarray(i * d, (i + 1) * d), [1, ...inputShape]);
      // gradient of the output at x_i w.r.t. every trainable weight
      const { value, grads } = await onBackend(gradBackend, () => tf.variableGrads(() => (model.apply(xi) as tf.Tensor).sum() as tf.Scalar, vars));
      // the output itself from the same forward path as the probes below (under a gradient tape
      // tfjs runs unfused kernels, whose float32 result can differ in the last bits)
      const out = forwardOne(xi);
      const slope = lossSlope(loss, out, ex.targets[i]);
      if (!Number.isFinite(slope)) {
        const why = loss === 'bce' && saturatedInFloat32(out)
          ? `: the sigmoid output is exactly ${out} in float32, where the loss has no usable gradient (the fast probe of MLP-family models computes the change exactly there)`
          : '';
        throw new ElasticityError(`l' = dL/df is not finite at probed example ${i} (output ${out}, loss ${loss})${why}`, options.where);
      }
      // gradient of the one-example loss, in float32 as a framework stores it
      const lossGrads = vars.map((v) => tf.mul(grads[v.name], slope));
      const stepTo = (step: number): void => vars.forEach((v, q) => {
        const next = tf.tidy(() => tf.sub(start[q], tf.mul(lossGrads[q], step)));
        v.assign(next);
        next.dispose(); // the variable keeps the data
      });
      const selfChange = (step: number): number => {
        stepTo(step);
        return Math.fround(forwardOne(xi) - out);
      };
      const step = eta === 'authors' ? await authorsEta(selfChange, options.where) : typeof eta === 'number' ? eta : eta[t];
      stepTo(step);
      const plus = predictAll();
      if (r >= 0) {
        for (let c = 0; c < n; c++) delta[r * n + c] = plus[c] - base[c];
        // the probed example's own change, from the same batched pass when it is measured
        const at = columnOf.get(i);
        self[r] = at !== undefined ? delta[r * n + at] : Math.fround(forwardOne(xi) - out);
        etas[r] = step;
        slopes[r] = slope;
        options.onRow?.();
      }
      if (mode === 'online') {
        tf.dispose(start);
        start = vars.map((v) => tf.keep(v.clone()));
        base = plus;
      } else {
        restore(start);
      }
      tf.dispose([xi, value, ...Object.values(grads), ...lossGrads]);
    }
  } finally {
    if (mode === 'reset') restore(saved);
    tf.dispose([xMeasured, ...saved, ...start]);
  }
  return { rows: rows.slice(recStart, recEnd), columns, n, delta, self, eta: etas, lossSlope: slopes, invisibleRows: [] };
}
