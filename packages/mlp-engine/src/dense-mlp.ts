import { ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';

/** Hidden activations of the 2-layer MLP family the exact MLP paths support. */
export type HiddenActivation = 'relu' | 'linear' | 'sigmoid';
const HIDDEN: HiddenActivation[] = ['relu', 'linear', 'sigmoid'];

/**
 * A 2-layer MLP f(x) = a . s(W x + b) + c (then a sigmoid when
 * sigmoidOutput), its weights copied to float64.
 */
export interface DenseMlp {
  /** Input width. */
  d: number;
  /** Hidden width. */
  h: number;
  /** Row-major h x d: row k holds the weights into hidden unit k. */
  W: Float64Array;
  b: Float64Array;
  a: Float64Array;
  c: number;
  hidden: HiddenActivation;
  sigmoidOutput: boolean;
}

type Inspection = { mlp: DenseMlp } | { reason: string };

interface LayerView {
  className: string;
  activation: string;
  layer: tf.layers.Layer;
}

function activationName(layer: tf.layers.Layer): string {
  const a = layer.getConfig().activation;
  return typeof a === 'string' ? a : 'linear';
}

/** True when every layer takes its input from the one before (a plain chain). */
function isChain(layers: tf.layers.Layer[]): boolean {
  for (let i = 1; i < layers.length; i++) {
    const nodes = (layers[i] as unknown as { inboundNodes: Array<{ inboundLayers: tf.layers.Layer[] }> }).inboundNodes;
    if (nodes.length !== 1 || nodes[0].inboundLayers.length !== 1 || nodes[0].inboundLayers[0] !== layers[i - 1]) return false;
  }
  return true;
}

/**
 * Reads a LayersModel shaped [Flatten] Dense(H, relu|linear|sigmoid) [Activation]
 * Dense(1, linear|sigmoid) [Activation(sigmoid)], with biases, into float64
 * arrays; otherwise returns why it is not one.
 */
export function inspectDenseMlp(model: tf.LayersModel): Inspection {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return { reason: 'the model must have one input and one output' };
  const all = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (!isChain(all)) return { reason: 'the layers do not form a single chain' };
  const layers: LayerView[] = all.map((layer) => ({ className: layer.getClassName(), activation: activationName(layer), layer }));
  const names = layers.map((l) => (l.className === 'Flatten' ? 'Flatten' : `${l.className}(${l.activation})`)).join(' -> ');
  const shape = model.inputs[0].shape.slice(1);
  if (shape.some((s) => s === null)) return { reason: `input shape ${JSON.stringify(shape)} is not fixed` };
  const d = (shape as number[]).reduce((p, s) => p * s, 1);
  let pos = 0;
  if (layers[pos]?.className === 'Flatten') pos++;
  else if (shape.length !== 1) return { reason: `input shape ${JSON.stringify(shape)} needs a Flatten before the first Dense layer` };
  // activation of the layer at pos, merged with a following Activation layer when the Dense one is linear
  const denseAt = (): { layer: tf.layers.Layer; activation: string } | undefined => {
    const v = layers[pos];
    if (v?.className !== 'Dense') return undefined;
    pos++;
    let activation = v.activation;
    if (layers[pos]?.className === 'Activation' && activation === 'linear') activation = layers[pos++].activation;
    return { layer: v.layer, activation };
  };
  const first = denseAt();
  const second = denseAt();
  const mismatch = { reason: `expected [Flatten] Dense(H, relu|linear|sigmoid) -> Dense(1, linear|sigmoid), got ${names}` };
  if (!first || !second || pos !== layers.length) return mismatch;
  if (!HIDDEN.includes(first.activation as HiddenActivation)) {
    return { reason: `hidden activation "${first.activation}" is not supported (relu, linear, sigmoid)` };
  }
  if (second.activation !== 'linear' && second.activation !== 'sigmoid') {
    return { reason: `output activation "${second.activation}" is not supported (linear, sigmoid)` };
  }
  const w1 = first.layer.getWeights();
  const w2 = second.layer.getWeights();
  if (w1.length !== 2 || w2.length !== 2) return { reason: 'both Dense layers must have a bias (useBias: true)' };
  const [k1, b1] = w1.map((t) => t.dataSync() as Float32Array);
  const [k2, b2] = w2.map((t) => t.dataSync() as Float32Array);
  const [inDim, h] = w1[0].shape as [number, number];
  if (inDim !== d) return { reason: `first Dense layer takes ${inDim} inputs, the model input has ${d}` };
  if (w2[0].shape[0] !== h || w2[0].shape[1] !== 1) return { reason: `output layer must be Dense(1) on ${h} hidden units, got kernel ${JSON.stringify(w2[0].shape)}` };
  const W = new Float64Array(h * d);
  // tfjs kernels are (in x out); W is (out x in)
  for (let p = 0; p < d; p++) for (let k = 0; k < h; k++) W[k * d + p] = k1[p * h + k];
  return {
    mlp: {
      d, h, W, b: Float64Array.from(b1), a: Float64Array.from(k2), c: b2[0],
      hidden: first.activation as HiddenActivation, sigmoidOutput: second.activation === 'sigmoid',
    },
  };
}

/** As inspectDenseMlp, but throws an ElasticityError (naming `file`) for any other architecture. */
export function readDenseMlp(model: tf.LayersModel, file?: string): DenseMlp {
  const r = inspectDenseMlp(model);
  if ('reason' in r) throw new ElasticityError(`not a supported 2-layer MLP: ${r.reason}`, { file, field: 'modelTopology' });
  return r.mlp;
}
