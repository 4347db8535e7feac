import { tf } from '@elasticity/core/tf';

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
 * x @ k for an input x that needs no gradient (data): only dk =
 * transpose(x) @ dy is computed, saving the product for dx.
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

/**
 * d(filter) of a stride-1 'valid' NHWC convolution, through a convolution
 * only: dk[a,b,i,o] = sum_{n,p,q} x[n,p+a,q+b,i] dy[n,p,q,o] is the 'valid'
 * convolution of x^T ([Cin, H, W, N], batch as channels) with dy
 * ([Ho, Wo, N, Cout] as filter). The wasm backend has no
 * Conv2DBackpropFilter kernel, so tf.conv2d's own gradient cannot run there.
 */
export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D;
  const filter = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  return tf.transpose(tf.conv2d(xT, filter, 1, 'valid'), [1, 2, 0, 3]) as tf.Tensor4D;
}

/** Stride-1 'valid' NHWC convolution whose gradients run on every backend; dx only when `needsInputGrad`. */
function conv2dValid(x: tf.Tensor4D, k: tf.Tensor, needsInputGrad: boolean): tf.Tensor {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | SaveFn>) => {
    const [input, kernel, save] = inputs as [tf.Tensor4D, tf.Tensor4D, SaveFn];
    save([input, kernel]);
    return {
      value: tf.conv2d(input, kernel, 1, 'valid'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sk] = saved as tf.Tensor4D[];
        const dx = needsInputGrad ? tf.conv2dTranspose(dy as tf.Tensor4D, sk, sx.shape, 1, 'valid') : tf.zerosLike(sx);
        return [dx, conv2dFilterGrad(sx, dy as tf.Tensor4D)];
      },
    };
  });
  return op(x, k);
}

const ACTIVATIONS: Record<string, (t: tf.Tensor) => tf.Tensor> = {
  linear: (t) => t,
  relu: (t) => tf.relu(t),
  sigmoid: (t) => tf.sigmoid(t),
};

interface LayerLike {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  trainableWeights: Array<{ read(): tf.Tensor }>;
  weights: unknown[];
  inboundNodes: Array<{ inboundLayers: LayerLike[] }>;
  apply(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[];
}

type Step = (inputs: tf.Tensor[], needsGrad: boolean) => tf.Tensor;

function denseStep(layer: LayerLike): Step | undefined {
  const config = layer.getConfig() as { activation?: string; useBias?: boolean };
  const activation = ACTIVATIONS[config.activation ?? 'linear'];
  const weights = layer.trainableWeights;
  if (!activation || weights.length !== (config.useBias ? 2 : 1) || layer.weights.length !== weights.length) return undefined;
  const kernel = weights[0].read();
  const bias = config.useBias ? weights[1].read() : undefined;
  return ([x], needsGrad) => {
    const z = needsGrad ? matMulExplicitGrad(x, kernel) : matMulDataLeft(x as tf.Tensor2D, kernel);
    return activation(bias ? tf.add(z, bias) : z);
  };
}

function convStep(layer: LayerLike): Step | undefined {
  const c = layer.getConfig() as { activation?: string; useBias?: boolean; strides?: number[]; padding?: string; dataFormat?: string; dilationRate?: number | number[] };
  const activation = ACTIVATIONS[c.activation ?? 'linear'];
  const unit = (v: unknown) => v === undefined || (Array.isArray(v) ? v.every((s) => s === 1) : v === 1);
  const weights = layer.trainableWeights;
  if (!activation || c.padding !== 'valid' || c.dataFormat !== 'channelsLast' || !unit(c.strides) || !unit(c.dilationRate)) return undefined;
  if (weights.length !== (c.useBias ? 2 : 1) || layer.weights.length !== weights.length) return undefined;
  const kernel = weights[0].read();
  const bias = c.useBias ? weights[1].read() : undefined;
  return ([x], needsGrad) => {
    const z = conv2dValid(x as tf.Tensor4D, kernel, needsGrad);
    return activation(bias ? tf.add(z, bias) : z);
  };
}

/**
 * A forward function on the model's own variables that computes the same
 * outputs as model.apply but whose gradient runs fast (and at all) on the
 * wasm backend: Dense layers multiply through matMulExplicitGrad (no
 * gradient for the data), Conv2D layers (stride 1, 'valid', channels-last)
 * take their filter gradient from conv2dFilterGrad, and weightless layers
 * (Reshape, Permute, Flatten, MaxPooling2D, Add, Activation) run their own
 * apply. The layer graph is walked in the model's (topological) layer order,
 * so functional models such as the residual MLP work too. Returns undefined
 * for a model with any other weighted layer, or with several inputs or
 * outputs; such a model trains through model.apply.
 */
export function fastForward(model: tf.LayersModel): ((x: tf.Tensor2D) => tf.Tensor) | undefined {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return undefined;
  const layers = (model.layers as unknown as LayerLike[]).filter((l) => l.getClassName() !== 'InputLayer');
  const plan: Array<{ name: string; inputs: string[]; step: Step; weighted: boolean }> = [];
  for (const layer of layers) {
    if (layer.inboundNodes.length !== 1) return undefined; // a layer used twice
    const inputs = layer.inboundNodes[0].inboundLayers.map((l) => (l.getClassName() === 'InputLayer' ? '' : l.name));
    const cls = layer.getClassName();
    let step: Step | undefined;
    if (cls === 'Dense') step = denseStep(layer);
    else if (cls === 'Conv2D') step = convStep(layer);
    else if (layer.weights.length === 0) step = (xs) => layer.apply(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
    if (!step) return undefined;
    plan.push({ name: layer.name, inputs, step, weighted: layer.weights.length > 0 });
  }
  const outputName = (model.outputs[0] as unknown as { sourceLayer: { name: string } }).sourceLayer.name;
  if (plan.length === 0 || !plan.some((p) => p.name === outputName)) return undefined;
  return (x) => {
    // '' is the model input; needsGrad is false until a weighted layer has been passed
    const values = new Map<string, { t: tf.Tensor; grad: boolean }>([['', { t: x, grad: false }]]);
    for (const { name, inputs, step, weighted } of plan) {
      const ins = inputs.map((i) => values.get(i)!);
      const grad = ins.some((v) => v.grad);
      values.set(name, { t: step(ins.map((v) => v.t), grad), grad: grad || weighted });
    }
    return values.get(outputName)!.t;
  };
}
