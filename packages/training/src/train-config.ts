import { availableParallelism } from 'node:os';
import { BACKEND_CHOICES, ElasticityError } from '@elasticity/core';
import type { BackendChoice } from '@elasticity/core';
import { getModelSpec, modelNames } from './models/zoo.ts';
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
  /** Save the model every k epochs into checkpoints/epoch-<k>/ (0: never). */
  checkpointEvery: number;
  [key: string]: unknown;
}

export const TRAIN_DEFAULTS = {
  preset: 'none', model: 'MLPNet', lr: 0.003, batch: 50, epochs: 20, seed: 0, backend: 'auto', workers: 'auto', checkpointEvery: 0,
} as const;

const KEYS = ['preset', 'model', 'width', 'loss', 'lr', 'batch', 'epochs', 'seed', 'backend', 'workers', 'checkpointEvery'];
const LOSSES: LossKind[] = ['mse', 'bce'];
/** Most worker threads a config may ask for. */
export const MAX_WORKERS = 64;

/**
 * Applies defaults to the pipeline's `train` section and validates every key:
 * { preset: 'none' | paper-mnist | paper-mnist-3v5 | paper-cifar10 | paper-synthetic
 *     (sets width, lr, batch, epochs for the model; keys given here win),
 *   model: zoo name (MLPNet), width: the model's default (1024; CNN 500),
 *   loss: 'mse'|'bce' (default from the model: sigmoid-output models bce,
 *   others mse), lr: 0.003, batch: 50 or 'full', epochs: 20, seed: 0,
 *   backend: 'auto'|'tensorflow'|'wasm'|'cpu', workers: 'auto' or 1..64,
 *   checkpointEvery: 0 (never) or k >= 1 }.
 * BCE needs a sigmoid-output model and a sigmoid-output model needs BCE.
 */
export function parseTrainConfig(section: unknown, file: string): TrainConfig {
  const where = (key: string) => ({ file, field: `train.${key}` });
  if (section === undefined || section === null) section = {};
  if (typeof section !== 'object' || Array.isArray(section)) {
    throw new ElasticityError('must be an object', { file, field: 'train' });
  }
  const given = section as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!KEYS.includes(key)) throw new ElasticityError(`unknown key (allowed: ${KEYS.join(', ')})`, where(key));
  }
  const model = given.model ?? TRAIN_DEFAULTS.model;
  if (typeof model !== 'string') throw new ElasticityError(`must be one of ${modelNames().join(', ')}`, where('model'));
  const spec = getModelSpec(model, where('model'));

  const preset = given.preset ?? TRAIN_DEFAULTS.preset;
  if (typeof preset !== 'string') throw new ElasticityError(`must be none or one of ${presetNames().join(', ')}`, where('preset'));
  const base: Record<string, unknown> = preset === 'none' ? { width: spec.defaultWidth } : { ...presetSettings(preset, spec, where('preset')) };
  const raw: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) raw[key] = value;

  const intIn = (key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      const range = max < Number.MAX_SAFE_INTEGER ? `an integer in [${min}, ${max}]` : min === 1 ? 'a positive integer' : `an integer >= ${min}`;
      throw new ElasticityError(`must be ${range} (got ${JSON.stringify(v)})`, where(key));
    }
    return v;
  };
  const width = intIn('width', spec.defaultWidth, 1);
  const epochs = intIn('epochs', TRAIN_DEFAULTS.epochs, 1);
  const checkpointEvery = intIn('checkpointEvery', TRAIN_DEFAULTS.checkpointEvery, 0);
  const batch = raw.batch === 'full' ? 'full' : intIn('batch', TRAIN_DEFAULTS.batch, 1);
  const workers = (raw.workers ?? TRAIN_DEFAULTS.workers) === 'auto' ? 'auto' : intIn('workers', 1, 1, MAX_WORKERS);

  const lr = raw.lr ?? TRAIN_DEFAULTS.lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) throw new ElasticityError(`must be a number > 0 (got ${JSON.stringify(lr)})`, where('lr'));

  const seed = intIn('seed', TRAIN_DEFAULTS.seed, 0, 0x7fffffff);

  const loss = raw.loss ?? spec.defaultLoss;
  if (!LOSSES.includes(loss as LossKind)) throw new ElasticityError(`must be one of ${LOSSES.join(', ')} (got ${JSON.stringify(loss)})`, where('loss'));
  if (loss === 'bce' && !spec.sigmoidOutput) {
    throw new ElasticityError(`bce needs a sigmoid-output model (MLPProb, MLPLinearProb), not ${model}`, where('loss'));
  }
  if (loss === 'mse' && spec.sigmoidOutput) {
    throw new ElasticityError(`${model} has a sigmoid output and trains with bce, not mse`, where('loss'));
  }

  const backend = raw.backend ?? TRAIN_DEFAULTS.backend;
  if (!BACKEND_CHOICES.includes(backend as BackendChoice)) {
    throw new ElasticityError(`must be one of ${BACKEND_CHOICES.join(', ')} (got ${JSON.stringify(backend)})`, where('backend'));
  }
  return { preset, model, width, loss: loss as LossKind, lr, batch, epochs, seed, backend: backend as BackendChoice, workers, checkpointEvery };
}

/**
 * workers: 'auto' on this machine. The native backend (tfjs-node) already
 * uses every core: 1. On wasm/cpu (one thread per backend) with 2+ cores:
 * a 2-layer MLP splits its hidden units when the first layer has at least
 * 2^20 weights (d x H; measured: below that, thread start-up and per-step
 * synchronisation cost more than they save); any other model runs as
 * replicas when its batch is >= 200 and it has >= 2^20 parameters
 * (gradient exchange per step is as large as the model). Else 1.
 */
export function autoWorkers(options: { twoLayer: boolean; firstLayerWeights: number; params: number; batch: number; backend: string }): number {
  const cores = Math.min(availableParallelism(), MAX_WORKERS);
  if (options.backend === 'tensorflow' || cores < 2) return 1;
  if (options.twoLayer) return options.firstLayerWeights >= 2 ** 20 ? cores : 1;
  return options.batch >= 200 && options.params >= 2 ** 20 ? cores : 1;
}
