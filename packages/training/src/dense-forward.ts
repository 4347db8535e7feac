import { tf } from '@elasticity/core';

type SaveFn = (tensors: tf.Tensor[]) => void;

/**
 * a @ b with a gradient made of plain (untransposed-flag) products:
 * da = dy @ transpose(b), db = transpose(a) @ dy. TensorFlow.js's own matMul
 * gradient passes transpose flags, and the wasm backend's transposed matMul
 * is 10-30x slower than an explicit transpose followed by a plain matMul
 * (measured: x^T dh for 50x784 by 50x1024 takes 184 ms flagged, 7 ms explicit).
 */
export const matMulExplicitGrad: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...inputs: Array<tf.Tensor | SaveFn>) => {
    const [a, b, save] = inputs as [tf.Tensor2D, tf.Tensor2D, SaveFn];
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as tf.Tensor2D[];
        return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
      },
    };
  },
);

/**
 * x @ k for an input x that needs no gradient (the data): only dk =
 * transpose(x) @ dy is computed, saving the d x batch product for dx.
 */
function matMulDataLeft(x: tf.Tensor2D, k: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | SaveFn>) => {
    const [kernel, save] = inputs as [tf.Tensor2D, SaveFn];
    save([x]); // keeps x alive for the backward pass even when it was made inside the loss function
    return {
      value: tf.matMul(x, kernel),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy as tf.Tensor2D)],
    };
  });
  return op(k);
}

const ACTIVATIONS: Record<string, (t: tf.Tensor) => tf.Tensor> = {
  linear: (t) => t,
  relu: (t) => tf.relu(t),
  sigmoid: (t) => tf.sigmoid(t),
};

interface DenseStep {
  kernel: tf.Variable;
  bias: tf.Variable | undefined;
  activation: (t: tf.Tensor) => tf.Tensor;
}

/**
 * For a model made only of Dense layers (the MLP family), a forward function
 * on the model's own variables that computes the same outputs as
 * model.apply but whose gradient avoids the slow transposed products (see
 * matMulExplicitGrad). Returns undefined for any other model, which then
 * trains through model.apply.
 */
export function denseForward(model: tf.LayersModel): ((x: tf.Tensor2D) => tf.Tensor) | undefined {
  const steps: DenseStep[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Dense') return undefined;
    const config = layer.getConfig() as { activation?: string; useBias?: boolean };
    const activation = ACTIVATIONS[config.activation ?? 'linear'];
    const weights = layer.trainableWeights;
    if (!activation || weights.length !== (config.useBias ? 2 : 1) || layer.weights.length !== weights.length) return undefined;
    steps.push({
      kernel: weights[0].read() as tf.Variable,
      bias: config.useBias ? (weights[1].read() as tf.Variable) : undefined,
      activation,
    });
  }
  if (steps.length === 0) return undefined;
  return (x) => {
    let out: tf.Tensor = x;
    steps.forEach((step, i) => {
      const z = i === 0 ? matMulDataLeft(out as tf.Tensor2D, step.kernel) : matMulExplicitGrad(out, step.kernel);
      out = step.activation(step.bias ? tf.add(z, step.bias) : z);
    });
    return out;
  };
}
