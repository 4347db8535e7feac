import { ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import type { DenseMlp, HiddenActivation } from './dense-mlp.ts';

const HIDDEN: HiddenActivation[] = ['relu', 'linear', 'sigmoid'];

/** One hidden Dense layer: h = W z + b, z' = s(h). */
export interface MlpLayer {
  inputs: number;
  units: number;
  /** Row-major units x inputs: row k holds the weights into unit k. */
  W: Float64Array;
  b: Float64Array;
  activation: HiddenActivation;
}

/**
 * Any model of the MLP family, weights in float64:
 *   z_0 = x, z_l = s_l(W_l z_{l-1} + b_l) (l = 1..L),
 *   r = z_L ('last'; r = x when L = 0) or z_1 + ... + z_L ('sum', the residual MLP),
 *   logit = a . r + c, output = sigmoid(logit) when sigmoidOutput, else logit.
 * Covers the 1-layer linear model (L = 0), the 2- and 3-layer MLPs and the
 * residual MLP (L = 2, readout 'sum').
 */
export interface MlpNet {
  d: number;
  layers: MlpLayer[];
  readout: 'last' | 'sum';
  a: Float64Array;
  c: number;
  sigmoidOutput: boolean;
}

/** Width of the readout's input r. */
export function readoutWidth(net: MlpNet): number {
  return net.layers.length === 0 ? net.d : net.layers[net.layers.length - 1].units;
}

/** The 2-layer DenseMlp as an MlpNet (sharing its arrays). */
export function mlpNetFromDense(mlp: DenseMlp): MlpNet {
  return {
    d: mlp.d, layers: [{ inputs: mlp.d, units: mlp.h, W: mlp.W, b: mlp.b, activation: mlp.hidden }],
    readout: 'last', a: mlp.a, c: mlp.c, sigmoidOutput: mlp.sigmoidOutput,
  };
}

/** A deep copy (for online updates that must not touch the original). */
export function cloneMlpNet(net: MlpNet): MlpNet {
  return {
    ...net, a: new Float64Array(net.a),
    layers: net.layers.map((l) => ({ ...l, W: new Float64Array(l.W), b: new Float64Array(l.b) })),
  };
}

/** A 2-layer MlpNet as the DenseMlp the older 2-layer code takes, or undefined. */
export function denseFromMlpNet(net: MlpNet): DenseMlp | undefined {
  if (net.layers.length !== 1) return undefined;
  const [l] = net.layers;
  return { d: net.d, h: l.units, W: l.W, b: l.b, a: net.a, c: net.c, hidden: l.activation, sigmoidOutput: net.sigmoidOutput };
}

type Inspection = { net: MlpNet } | { reason: string };

interface GraphNode {
  layer: tf.layers.Layer;
  className: string;
  inbound: tf.layers.Layer[];
}

function activationName(layer: tf.layers.Layer): string {
  const a = layer.getConfig().activation;
  return typeof a === 'string' ? a : 'linear';
}

function inboundLayers(layer: tf.layers.Layer): tf.layers.Layer[] | undefined {
  const nodes = (layer as unknown as { inboundNodes: Array<{ inboundLayers: tf.layers.Layer[] }> }).inboundNodes;
  return nodes.length === 1 ? nodes[0].inboundLayers : undefined;
}

/** Copies a Dense layer's kernel (in x out, as tfjs stores it) into row-major out x in float64. */
function denseWeights(layer: tf.layers.Layer): { W: Float64Array; b: Float64Array; inputs: number; units: number } | undefined {
  const w = layer.getWeights();
  if (w.length !== 2) return undefined;
  const [inputs, units] = w[0].shape as [number, number];
  const k = w[0].dataSync() as Float32Array;
  // (in shared memory: the float32 product workers read it without a copy)
  const W = new Float64Array(new SharedArrayBuffer(units * inputs * 8));
  for (let p = 0; p < inputs; p++) for (let u = 0; u < units; u++) W[u * inputs + p] = k[p * units + u];
  return { W, b: Float64Array.from(w[1].dataSync() as Float32Array), inputs, units };
}

/**
 * Reads a LayersModel of the MLP family (the zoo's MLPLinear1Layer, 2- and
 * 3-layer MLPs with relu/linear/sigmoid hidden layers, sigmoid outputs,
 * and the residual MLP input -> Dense h1 -> Dense h2 -> Add([h1, h2]) ->
 * Dense(1)) into float64 arrays; otherwise returns why it is not one.
 * Accepted extras: a Flatten on the input, Activation layers after linear Dense layers.
 */
export function inspectMlpNet(model: tf.LayersModel): Inspection {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return { reason: 'the model must have one input and one output' };
  const shape = model.inputs[0].shape.slice(1);
  if (shape.some((s) => s === null)) return { reason: `input shape ${JSON.stringify(shape)} is not fixed` };
  const d = (shape as number[]).reduce((p, s) => p * s, 1);
  const nodes: GraphNode[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const inbound = inboundLayers(layer);
    if (!inbound) return { reason: `layer ${layer.name} is used more than once` };
    nodes.push({ layer, className: layer.getClassName(), inbound });
  }
  const names = nodes.map((v) => (v.className === 'Dense' || v.className === 'Activation' ? `${v.className}(${activationName(v.layer)})` : v.className)).join(' -> ');
  const mismatch = (why: string): Inspection => ({
    reason: `${why}; expected [Flatten] Dense(H, relu|linear|sigmoid)* [Add of all hidden layers] -> Dense(1, linear|sigmoid), got ${names}`,
  });
  // Dense(linear) -> Activation pairs act as one Dense layer with that activation; `produces` is the layer others read.
  interface Step { node: GraphNode; activation: string; produces: tf.layers.Layer }
  const steps: Step[] = [];
  for (let q = 0; q < nodes.length; q++) {
    const v = nodes[q];
    const next = nodes[q + 1];
    if (v.className === 'Dense' && activationName(v.layer) === 'linear' && next?.className === 'Activation' && next.inbound.length === 1 && next.inbound[0] === v.layer) {
      steps.push({ node: v, activation: activationName(next.layer), produces: next.layer });
      q++;
    } else {
      steps.push({ node: v, activation: activationName(v.layer), produces: v.layer });
    }
  }
  // What each layer's output stands for: the input, hidden layer `index` (1-based), or the sum of all hidden layers.
  type Value = { kind: 'input' } | { kind: 'hidden'; index: number } | { kind: 'sum' };
  const value = new Map<tf.layers.Layer, Value>();
  const layers: MlpLayer[] = [];
  let readout: MlpNet['readout'] = 'last';
  let out: { a: Float64Array; c: number; sigmoid: boolean; layer: tf.layers.Layer } | undefined;
  for (const [q, step] of steps.entries()) {
    const { node: v, activation } = step;
    const ins = v.inbound.map((l): Value | undefined => (l.getClassName() === 'InputLayer' ? { kind: 'input' } : value.get(l)));
    if (ins.some((x) => x === undefined)) return mismatch(`layer ${v.layer.name} reads a layer that is not part of an MLP`);
    if (v.className === 'Flatten') {
      if (ins[0]!.kind !== 'input') return mismatch('Flatten is only allowed on the input');
      value.set(v.layer, { kind: 'input' });
      continue;
    }
    if (v.className === 'Add') {
      const hidden = ins.map((x) => (x!.kind === 'hidden' ? x!.index : -1)).sort((p, r) => p - r);
      if (layers.length < 2 || hidden.length !== layers.length || hidden.some((h, t) => h !== t + 1)) return mismatch('Add must sum the outputs of all hidden layers');
      if (layers.some((l) => l.units !== layers[0].units)) return mismatch('a residual sum needs hidden layers of one width');
      readout = 'sum';
      value.set(v.layer, { kind: 'sum' });
      continue;
    }
    if (v.className !== 'Dense') return mismatch(`layer type ${v.className} is not part of an MLP`);
    const w = denseWeights(v.layer);
    if (!w) return { reason: `Dense layer ${v.layer.name} must have a bias (useBias: true)` };
    const from = ins[0]!;
    if (q === steps.length - 1) {
      if (w.units !== 1) return mismatch(`the output layer must be Dense(1), got ${w.units} units`);
      if (activation !== 'linear' && activation !== 'sigmoid') return { reason: `output activation "${activation}" is not supported (linear, sigmoid)` };
      const expected = layers.length === 0 ? 'input' : readout === 'sum' ? 'sum' : 'hidden';
      if (from.kind !== expected || (from.kind === 'hidden' && from.index !== layers.length)) return mismatch('the output layer must read the last hidden layer (or their sum)');
      out = { a: Float64Array.from(w.W), c: w.b[0], sigmoid: activation === 'sigmoid', layer: step.produces };
      continue;
    }
    if (!HIDDEN.includes(activation as HiddenActivation)) return { reason: `hidden activation "${activation}" is not supported (relu, linear, sigmoid)` };
    const readsPrevious = layers.length === 0 ? from.kind === 'input' : from.kind === 'hidden' && from.index === layers.length;
    if (!readsPrevious || readout === 'sum') return mismatch(`hidden layer ${v.layer.name} must read the layer before it`);
    layers.push({ inputs: w.inputs, units: w.units, W: w.W, b: w.b, activation: activation as HiddenActivation });
    value.set(step.produces, { kind: 'hidden', index: layers.length });
  }
  if (!out) return mismatch('no output layer');
  if (out.layer !== model.outputs[0].sourceLayer) return mismatch('the model output is not the last Dense layer');
  if (shape.length !== 1 && !nodes.some((v) => v.className === 'Flatten')) return { reason: `input shape ${JSON.stringify(shape)} needs a Flatten before the first Dense layer` };
  const firstIn = layers.length ? layers[0].inputs : out.a.length;
  if (firstIn !== d) return { reason: `the first Dense layer takes ${firstIn} inputs, the model input has ${d}` };
  return { net: { d, layers, readout, a: out.a, c: out.c, sigmoidOutput: out.sigmoid } };
}

/** As inspectMlpNet, but throws an ElasticityError (naming `file`) for any other architecture. */
export function readMlpNet(model: tf.LayersModel, file?: string): MlpNet {
  const r = inspectMlpNet(model);
  if ('reason' in r) throw new ElasticityError(`not a model of the MLP family: ${r.reason}`, { file, field: 'modelTopology' });
  return r.net;
}
