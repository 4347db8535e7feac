import { ElasticityError, createRng, permutation } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import type { Logger, Rng } from '@elasticity/core';

/** Image geometry the autoencoder works on: channel-major as stored in dataset.arrow. */
export interface ImageShape {
  channels: number;
  height: number;
  width: number;
}

export interface AutoencoderOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  seed: number;
  log?: Logger;
}

export interface AutoencoderResult {
  /** Row-major n x 32 codes of the examples asked for. */
  codes: Float64Array;
  dim: number;
  /** Mean squared reconstruction error over the training set before training. */
  initialLoss: number;
  /** Mean training loss (reconstruction only, without the decay term) of each epoch. */
  losses: number[];
}

/** Side lengths the fixed encoder maps to a 2 x 2 code. */
export const AUTOENCODER_SIDES = { min: 28, max: 39 } as const;
export const CODE_DIM = 32;

/**
 * The image shape of a data set's inputShape ([C, H, W] or [H, W]); throws
 * when the examples are not images the autoencoder takes.
 */
export function imageShape(inputShape: number[], where: { file?: string; field?: string }): ImageShape {
  const [channels, height, width] = inputShape.length === 3 ? inputShape : inputShape.length === 2 ? [1, ...inputShape] : [0, 0, 0];
  const ok = (s: number) => Number.isInteger(s) && s >= AUTOENCODER_SIDES.min && s <= AUTOENCODER_SIDES.max;
  if (!(channels >= 1) || !ok(height) || !ok(width)) {
    throw new ElasticityError(
      `the convolutional autoencoder baseline needs image examples [channels, height, width] with height and width in ${AUTOENCODER_SIDES.min}..${AUTOENCODER_SIDES.max} (MNIST 28 x 28, CIFAR-10 32 x 32), got input shape ${JSON.stringify(inputShape)}`,
      where,
    );
  }
  return { channels, height, width };
}

/** Channel-major (C, H, W) rows to channels-last (H, W, C) rows, as TensorFlow.js convolutions want. */
export function toChannelsLast(x: Float32Array, n: number, shape: ImageShape): Float32Array {
  const { channels: c, height: h, width: w } = shape;
  const plane = h * w, d = c * plane;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < plane; p++) out[base + p * c + ch] = x[base + ch * plane + p];
  }
  return out;
}

/**
 * d/dW of a 'valid' convolution with stride s: dW[a, b, c, o] = sum over
 * batch and output positions of x[., p s + a, q s + b, c] dy[., p, q, o],
 * computed as one convolution with dilation s (batch as channels), so that
 * it runs on every backend (wasm has no Conv2DBackpropFilter kernel).
 */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, stride: number, kh: number, kw: number): tf.Tensor4D {
  const [, , , channels] = x.shape;
  const outChannels = dy.shape[3];
  const input = tf.transpose(x, [3, 1, 2, 0]);
  const filter = tf.transpose(dy, [1, 2, 0, 3]);
  const full = tf.conv2d(input, filter, 1, 'valid', 'NHWC', stride);
  return tf.transpose(tf.slice(full, [0, 0, 0, 0], [channels, kh, kw, outChannels]), [1, 2, 0, 3]);
}

/** 'valid' convolution x * W (W: [kh, kw, in, out]) with its gradients built from ops every backend has. */
export function conv(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2d(x4, w4, stride, 'valid'),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dy4 = dy;
        return [tf.conv2dTranspose(dy4, sw, sx.shape, stride, 'valid'), filterGradient(sx, dy4, stride, sw.shape[0], sw.shape[1])];
      },
    };
  });
  return op(x, w) as tf.Tensor4D;
}

/** 'valid' transposed convolution (W: [kh, kw, out, in]) to `outShape`, gradients as for conv. */
export function convTranspose(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, outShape: [number, number, number, number]): tf.Tensor4D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2dTranspose(x4, w4, outShape, stride, 'valid'),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dy4 = dy;
        // y = conv2dBackpropInput(x, W): dx is the forward convolution of dy, dW the filter gradient with dy as input.
        return [tf.conv2d(dy4, sw, stride, 'valid'), filterGradient(dy4, sx, stride, sw.shape[0], sw.shape[1])];
      },
    };
  });
  return op(x, w) as tf.Tensor4D;
}

/** Crops `by` pixels from each side of the two spatial axes (PyTorch's padding of a transposed convolution). */
function crop(x: tf.Tensor4D, by: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.slice(x, [0, by, by, 0], [b, h - 2 * by, w - 2 * by, c]);
}

/** The autoencoder's parameters: kernels ([kh, kw, in, out] for convolutions, [kh, kw, out, in] for transposed ones) and biases. */
export interface Autoencoder {
  shape: ImageShape;
  variables: tf.Variable[];
  /** Images (channels-last) to 32-d codes. */
  encode(x: tf.Tensor4D): tf.Tensor2D;
  /** Codes back to images in (-1, 1). */
  decode(code: tf.Tensor2D): tf.Tensor4D;
  dispose(): void;
}

/**
 * The autoencoder of the authors' code (method.md section 4) in
 * TensorFlow.js ops, channels-last; PyTorch's padding=1 is explicit
 * zero-padding before a convolution and cropping after a transposed one:
 *   encoder: Conv(16, 3x3, stride 3, pad 1) ReLU, MaxPool(2, stride 2),
 *            Conv(8, 3x3, stride 2, pad 1) ReLU, MaxPool(2, stride 1) -> 2 x 2 x 8 = 32
 *   decoder: ConvT(16, 3x3, stride 2) ReLU, ConvT(8, 5x5, stride 3, pad 1) ReLU,
 *            ConvT(C, (H-26)x(W-26), stride 2, pad 1) tanh
 * For 28 x 28 the last kernel is the authors' 2 x 2; other sizes in 28..39
 * get the kernel that gives back H x W. Parameters start from PyTorch's
 * default initialisation drawn from core's seeded RNG: uniform in
 * +-1/sqrt(fan_in), fan_in = in_channels kh kw for a convolution and
 * out_channels kh kw for a transposed one (PyTorch reads the second axis of
 * its weight, which is the output one for ConvTranspose).
 */
export function createAutoencoder(shape: ImageShape, rng: Rng): Autoencoder {
  const { channels, height, width } = shape;
  const kernelShapes: Array<[number, number, number, number]> = [
    [3, 3, channels, 16], [3, 3, 16, 8], [3, 3, 16, 8], [5, 5, 8, 16], [height - 26, width - 26, channels, 8],
  ];
  const variables: tf.Variable[] = [];
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (const [layer, ks] of kernelShapes.entries()) {
    const bound = 1 / Math.sqrt(ks[0] * ks[1] * ks[2]);
    const draw = (count: number) => Float32Array.from({ length: count }, () => rng.uniform(-bound, bound));
    const kernel = tf.variable(tf.tensor4d(draw(ks[0] * ks[1] * ks[2] * ks[3]), ks), true);
    // Output channels: the last axis of a convolution kernel, the third of a transposed one.
    const outChannels = layer < 2 ? ks[3] : ks[2];
    const bias = tf.variable(tf.tensor1d(draw(outChannels)), true);
    kernels.push(kernel);
    biases.push(bias);
    variables.push(kernel, bias);
  }
  const [k1, k2, k3, k4, k5] = kernels as unknown as tf.Tensor4D[];
  const [b1, b2, b3, b4, b5] = biases;
  const encode = (x: tf.Tensor4D): tf.Tensor2D => {
    const batch = x.shape[0];
    let h = tf.relu(tf.add(conv(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), k1, 3), b1)) as tf.Tensor4D;
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(tf.add(conv(tf.pad(h, [[0, 0], [1, 1], [1, 1], [0, 0]]), k2, 2), b2)) as tf.Tensor4D;
    h = tf.maxPool(h, 2, 1, 'valid');
    return tf.reshape(h, [batch, CODE_DIM]);
  };
  const decode = (code: tf.Tensor2D): tf.Tensor4D => {
    const batch = code.shape[0];
    let h = tf.reshape(code, [batch, 2, 2, 8]) as tf.Tensor4D;
    h = tf.relu(tf.add(convTranspose(h, k3, 2, [batch, 5, 5, 16]), b3)) as tf.Tensor4D;
    h = tf.relu(tf.add(crop(convTranspose(h, k4, 3, [batch, 17, 17, 8]), 1), b4)) as tf.Tensor4D;
    return tf.tanh(tf.add(crop(convTranspose(h, k5, 2, [batch, height + 2, width + 2, channels]), 1), b5)) as tf.Tensor4D;
  };
  return { shape, variables, encode, decode, dispose: () => variables.forEach((v) => v.dispose()) };
}

/**
 * Trains the autoencoder on `train` (rows channels-last, values in [-1, 1])
 * with Adam and L2 weight decay (added to the gradient, as PyTorch Adam's
 * weight_decay: the loss gets + weightDecay/2 * sum of squared parameters),
 * minibatches in a seeded order, MSE reconstruction loss; returns the codes
 * of `encode` (channels-last rows).
 */
export function trainAutoencoder(train: Float32Array, nTrain: number, encode: Float32Array, nEncode: number, shape: ImageShape, options: AutoencoderOptions): AutoencoderResult {
  const { epochs, batchSize, learningRate, weightDecay, seed, log } = options;
  const d = shape.channels * shape.height * shape.width;
  const rng = createRng(seed);
  const model = createAutoencoder(shape, rng);
  const optimizer = tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
  const variables = model.variables;
  const imageDims: [number, number, number] = [shape.height, shape.width, shape.channels];
  const batchOf = (x: Float32Array, rows: ArrayLike<number>) => {
    const buffer = new Float32Array(rows.length * d);
    for (let r = 0; r < rows.length; r++) buffer.set(x.subarray(rows[r] * d, (rows[r] + 1) * d), r * d);
    return buffer;
  };
  const reconstructionLoss = (x: Float32Array, count: number): number => {
    let total = 0;
    for (let start = 0; start < count; start += 256) {
      const rows = Math.min(256, count - start);
      total += tf.tidy(() => {
        const input = tf.tensor4d(x.subarray(start * d, (start + rows) * d), [rows, ...imageDims]);
        const output = model.decode(model.encode(input));
        return tf.losses.meanSquaredError(input, output).dataSync()[0] * rows;
      });
    }
    return total / count;
  };
  try {
    const initialLoss = reconstructionLoss(train, nTrain);
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = permutation(nTrain, rng);
      let sum = 0;
      for (let start = 0; start < nTrain; start += batchSize) {
        const rows = order.slice(start, start + batchSize);
        const input = tf.tensor4d(batchOf(train, rows), [rows.length, ...imageDims]);
        let mse: tf.Scalar | undefined;
        optimizer.minimize(() => {
          const output = model.decode(model.encode(input));
          mse = tf.keep(tf.losses.meanSquaredError(input, output) as tf.Scalar);
          if (weightDecay === 0) return mse;
          const squares = tf.addN(variables.map((v) => tf.sum(tf.square(v))));
          return tf.add(mse, tf.mul(weightDecay / 2, squares)) as tf.Scalar;
        }, false, variables);
        input.dispose();
        sum += mse!.dataSync()[0] * rows.length;
        mse!.dispose();
      }
      losses.push(sum / nTrain);
      log?.info(`autoencoder epoch ${epoch + 1}/${epochs}: loss ${losses[epoch].toExponential(4)}`);
    }
    const codes = new Float64Array(nEncode * CODE_DIM);
    for (let start = 0; start < nEncode; start += 256) {
      const rows = Math.min(256, nEncode - start);
      const values = tf.tidy(() => model.encode(tf.tensor4d(encode.subarray(start * d, (start + rows) * d), [rows, ...imageDims])).dataSync());
      codes.set(values, start * CODE_DIM);
    }
    return { codes, dim: CODE_DIM, initialLoss, losses };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
