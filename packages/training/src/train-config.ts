import { availableParallelism } from 'node:os';
import { BACKEND_CHOICES, distinctItems, formatValue, sectionParser, suggestName, whenValid, z } from '@elasticity/core';
import type { BackendChoice } from '@elasticity/core';
import { KERNEL_CHOICES } from '@elasticity/core';
import type { KernelChoice } from '@elasticity/core';
import { MODEL_ZOO, getModelSpec, modelNames } from './models/zoo.ts';
import type { LossKind } from './models/model-spec.ts';
import { presetNames, presetSettings } from './presets.ts';

/** The pipeline's `train` section after defaults, preset and validation. */
export interface TrainConfig {
  /** 'none' or a name of presets.ts; its settings sit under the section's own keys. */
  preset: string;
  model: string;
  width: number;
  loss: LossKind;
  lr: number;
  /** 'full': one batch of all training examples. */
  batch: number | 'full';
  epochs: number;
  seed: number;
  backend: BackendChoice;
  /** Worker threads, or 'auto' (see autoWorkers). */
  workers: number | 'auto';
  /** Kernel of the 2-layer family's SGD steps: 'auto', 'onnx' or 'tfjs' (see TrainOptions.kernel). */
  kernel: KernelChoice;
  /** Save the model every k epochs into checkpoints/epoch-<k>/ (0: never). */
  checkpointEvery: number;
  /** Also save the model after each of these epochs (0: the initial weights), ascending, each at most `epochs`. */
  checkpoints: number[];
  [key: string]: unknown;
}

export const TRAIN_DEFAULTS = {
  preset: 'none', model: 'MLPNet', lr: 0.003, batch: 50, epochs: 20, seed: 0, backend: 'auto', workers: 'auto', kernel: 'auto', checkpointEvery: 0,
} as const;

const LOSSES: LossKind[] = ['mse', 'bce'];
/** Most worker threads a config may ask for. */
export const MAX_WORKERS = 64;

function didYouMean(name: string, allowed: string[]): string {
  const suggestion = suggestName(name, allowed);
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
}

const MODEL = z.enum(modelNames(), {
  error: (iss) => typeof iss.input === 'string'
    ? `unknown model ${JSON.stringify(iss.input)}${didYouMean(iss.input, modelNames())} (choose one of ${modelNames().join(', ')})`
    : `must be one of ${modelNames().join(', ')}, got ${formatValue(iss.input)}`,
});

const PRESET = z.enum(['none', ...presetNames()], {
  error: (iss) => typeof iss.input === 'string'
    ? `unknown preset ${JSON.stringify(iss.input)}${didYouMean(iss.input, presetNames())} (choose none or one of ${presetNames().join(', ')})`
    : `must be none or one of ${presetNames().join(', ')}, got ${formatValue(iss.input)}`,
});

/**
 * The `train` section as written. width, lr, batch and epochs have no
 * fixed default: they come from the preset (or, with preset none, from the
 * model and TRAIN_DEFAULTS); loss defaults from the model. Cross-field rule:
 * BCE needs a sigmoid-output model and a sigmoid-output model needs BCE.
 */
const TRAIN_SECTION = z.strictObject({
  preset: PRESET.default(TRAIN_DEFAULTS.preset)
    .describe(`Training settings of the paper: sets width, lr, batch and epochs for the model (keys given here win). One of none, ${presetNames().join(', ')}.`),
  model: MODEL.default(TRAIN_DEFAULTS.model).describe('Model of the zoo.'),
  width: z.int().min(1).optional().describe('Hidden width (default: the preset\'s, else the model\'s: 1024, CNN 500).'),
  loss: z.enum(LOSSES).optional().describe('Loss (default from the model: bce for sigmoid-output models, *Prob; else mse).'),
  lr: z.number().gt(0).optional().describe(`SGD step size (default: the preset's, else ${TRAIN_DEFAULTS.lr}).`),
  batch: z.union([z.int().min(1), z.literal('full')]).optional()
    .describe(`Batch size, or "full" for one batch of all training examples (default: the preset's, else ${TRAIN_DEFAULTS.batch}).`),
  epochs: z.int().min(1).optional().describe(`Epochs (default: the preset's, else ${TRAIN_DEFAULTS.epochs}).`),
  seed: z.int().min(0).max(0x7fffffff).default(TRAIN_DEFAULTS.seed),
  backend: z.enum(BACKEND_CHOICES).default(TRAIN_DEFAULTS.backend).describe('TensorFlow.js backend (auto: native where it loads, else wasm, else cpu).'),
  workers: z.union([z.literal('auto'), z.int().min(1).max(MAX_WORKERS)]).default(TRAIN_DEFAULTS.workers)
    .describe('Worker threads, or "auto" (see autoWorkers).'),
  kernel: z.enum(KERNEL_CHOICES).default(TRAIN_DEFAULTS.kernel)
    .describe('Kernel of the SGD steps of the 2-layer MLPs (MLPNet, MLPProb, MLPLinear, MLPLinearProb, MLPNetSigmoid): "onnx" (ONNX Runtime\'s MatMul, deferred weight updates), "tfjs" (the TensorFlow.js backend), "auto": onnx where onnxruntime-node is installed, else tfjs. Other models train on TensorFlow.js.'),
  checkpointEvery: z.int().min(0).default(TRAIN_DEFAULTS.checkpointEvery).describe('Save the model every k epochs into checkpoints/epoch-<k>/ (0: never).'),
  checkpoints: z.array(z.int().min(0)).default([]).superRefine(distinctItems({ at: 'list', message: (k) => `lists the epoch ${k} twice` }))
    .describe('Also save the model after each of these epochs into checkpoints/epoch-<k>/ (0: the initial weights), for probes and NTKs of the weights during training (probe.from, ntk.from "epoch-K").'),
});

/**
 * The `train` section: validated as written, checked that loss and output
 * match, then completed with the preset's (or the model's) settings.
 */
export const TRAIN_SCHEMA = TRAIN_SECTION.superRefine((given, ctx) => {
  const spec = MODEL_ZOO.get(given.model)!;
  if (given.loss === 'bce' && !spec.sigmoidOutput) {
    ctx.addIssue({ code: 'custom', path: ['loss'], message: `bce needs a sigmoid-output model (MLPProb, MLPLinearProb), not ${given.model}` });
  }
  if (given.loss === 'mse' && spec.sigmoidOutput) {
    ctx.addIssue({ code: 'custom', path: ['loss'], message: `${given.model} has a sigmoid output and trains with bce, not mse` });
  }
}, whenValid).transform((given): TrainConfig => {
  const spec = getModelSpec(given.model);
  const base = given.preset === 'none'
    ? { width: spec.defaultWidth, lr: TRAIN_DEFAULTS.lr, batch: TRAIN_DEFAULTS.batch, epochs: TRAIN_DEFAULTS.epochs }
    : presetSettings(given.preset, spec);
  return {
    preset: given.preset,
    model: given.model,
    width: given.width ?? base.width,
    loss: given.loss ?? spec.defaultLoss,
    lr: given.lr ?? base.lr,
    batch: given.batch ?? base.batch,
    epochs: given.epochs ?? base.epochs,
    seed: given.seed,
    backend: given.backend,
    workers: given.workers,
    kernel: given.kernel,
    checkpointEvery: given.checkpointEvery,
    checkpoints: [...given.checkpoints].sort((a, b) => a - b),
  };
}).superRefine((config, ctx) => {
  const late = config.checkpoints.findIndex((k) => k > config.epochs);
  if (late >= 0) ctx.addIssue({ code: 'custom', path: ['checkpoints', late], message: `epoch ${config.checkpoints[late]} is after the last epoch (${config.epochs})` });
}).describe('Train stage: the model, its training settings and the backend.');

/**
 * Applies defaults to the pipeline's `train` section and validates every key:
 * { preset: 'none' | paper-mnist | paper-mnist-3v5 | paper-cifar10 | paper-synthetic
 *     (sets width, lr, batch, epochs for the model; keys given here win),
 *   model: zoo name (MLPNet), width: the model's default (1024; CNN 500),
 *   loss: 'mse'|'bce' (default from the model: sigmoid-output models bce,
 *   others mse), lr: 0.003, batch: 50 or 'full', epochs: 20, seed: 0,
 *   backend: 'auto'|'tensorflow'|'wasm'|'cpu', workers: 'auto' or 1..64,
 *   kernel: 'auto'|'onnx'|'tfjs' (the 2-layer MLPs' steps),
 *   checkpointEvery: 0 (never) or k >= 1, checkpoints: epochs (0..epochs) }.
 * BCE needs a sigmoid-output model and a sigmoid-output model needs BCE.
 */
export const parseTrainConfig = sectionParser<TrainConfig>('train', TRAIN_SCHEMA);

/**
 * workers: 'auto' on this machine. A 2-layer MLP whose steps run on the
 * onnx kernel runs ONNX Runtime's products on all cores when the first
 * layer has at least 2^20 weights. Otherwise: the
 * native backend (tfjs-node) already uses every core: 1. On wasm/cpu (one
 * thread per backend) with 2+ cores: a 2-layer MLP splits its hidden units
 * when the first layer has at least 2^20 weights (d x H; measured: below that, thread start-up and per-step
 * synchronisation cost more than they save); any other model runs as
 * replicas when its batch is >= 200 and it has >= 2^20 parameters
 * (gradient exchange per step is as large as the model). Else 1.
 */
export function autoWorkers(options: { twoLayer: boolean; firstLayerWeights: number; params: number; batch: number; backend: string; kernel: 'onnx' | 'tfjs' }): number {
  const cores = Math.min(availableParallelism(), MAX_WORKERS);
  if (cores < 2) return 1;
  if (options.twoLayer && options.kernel === 'onnx') return options.firstLayerWeights >= 2 ** 20 ? cores : 1;
  if (options.backend === 'tensorflow') return 1;
  if (options.twoLayer) return options.firstLayerWeights >= 2 ** 20 ? cores : 1;
  return options.batch >= 200 && options.params >= 2 ** 20 ? cores : 1;
}
