import { BACKEND_CHOICES, ElasticityError } from '@elasticity/core';
import type { BackendChoice } from '@elasticity/core';
import { getModelSpec, modelNames } from './models/zoo.ts';
import type { LossKind } from './models/model-spec.ts';

/** The pipeline's `train` section after defaults and validation. */
export interface TrainConfig {
  model: string;
  width: number;
  loss: LossKind;
  lr: number;
  batch: number;
  epochs: number;
  seed: number;
  backend: BackendChoice;
  [key: string]: unknown;
}

export const TRAIN_DEFAULTS = {
  model: 'MLPNet', width: 1024, lr: 0.003, batch: 50, epochs: 20, seed: 0, backend: 'auto',
} as const;

const KEYS = ['model', 'width', 'loss', 'lr', 'batch', 'epochs', 'seed', 'backend'];
const LOSSES: LossKind[] = ['mse', 'bce'];

/**
 * Applies defaults to the pipeline's `train` section and validates every key:
 * { model: zoo name (MLPNet), width: 1024, loss: 'mse'|'bce' (default from the
 *   model: sigmoid-output models bce, others mse), lr: 0.003, batch: 50,
 *   epochs: 20, seed: 0, backend: 'auto'|'tensorflow'|'wasm'|'cpu' }.
 * BCE needs a sigmoid-output model and a sigmoid-output model needs BCE.
 */
export function parseTrainConfig(section: unknown, file: string): TrainConfig {
  const where = (key: string) => ({ file, field: `train.${key}` });
  if (section === undefined || section === null) section = {};
  if (typeof section !== 'object' || Array.isArray(section)) {
    throw new ElasticityError('must be an object', { file, field: 'train' });
  }
  const raw = section as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) throw new ElasticityError(`unknown key (allowed: ${KEYS.join(', ')})`, where(key));
  }
  const model = raw.model ?? TRAIN_DEFAULTS.model;
  if (typeof model !== 'string') throw new ElasticityError(`must be one of ${modelNames().join(', ')}`, where('model'));
  const spec = getModelSpec(model, where('model'));

  const positiveInt = (key: string, fallback: number): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ElasticityError(`must be a positive integer (got ${JSON.stringify(v)})`, where(key));
    return v;
  };
  const width = positiveInt('width', TRAIN_DEFAULTS.width);
  const batch = positiveInt('batch', TRAIN_DEFAULTS.batch);
  const epochs = positiveInt('epochs', TRAIN_DEFAULTS.epochs);

  const lr = raw.lr ?? TRAIN_DEFAULTS.lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) throw new ElasticityError(`must be a number > 0 (got ${JSON.stringify(lr)})`, where('lr'));

  const seed = raw.seed ?? TRAIN_DEFAULTS.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0x7fffffff) {
    throw new ElasticityError(`must be an integer in [0, 2147483647] (got ${JSON.stringify(seed)})`, where('seed'));
  }

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
  return { model, width, loss: loss as LossKind, lr, batch, epochs, seed, backend: backend as BackendChoice };
}
