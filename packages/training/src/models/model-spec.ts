import type { tf } from '@elasticity/core/tf';

export type LossKind = 'mse' | 'bce';

/** Hidden activation of a model family (what probing and the NTK need to know). */
export type HiddenActivation = 'relu' | 'linear' | 'sigmoid';

export interface BuildOptions {
  /** Shape of one input as the dataset stores it, e.g. [1, 28, 28]. */
  inputShape: number[];
  /** Hidden width H (ignored by models without a hidden layer). */
  width: number;
}

/**
 * One entry of the model zoo (the tfjs topology of every model is fixed by
 * the shared zoo contract). Every model takes a flat input of
 * d = product(inputShape) numbers (rows of dataset.arrow) and returns one
 * scalar per example, shape [n, 1]; its last layer is Dense(1) with a linear
 * or (for *Prob models) sigmoid activation. A model that needs the image
 * layout (a CNN) reshapes inside itself.
 *
 * Layers are built with zero initialisers and fixed layer names: weights are
 * set afterwards by `initPyTorchDefault`, and fixed names make the saved
 * model.json identical from run to run.
 */
export interface ModelSpec {
  /** Zoo name, as written in the pipeline (`train.model`). */
  name: string;
  /** One line for help texts and reports. */
  description: string;
  /** Loss used when the config names none: BCE for sigmoid-output models, else MSE. */
  defaultLoss: LossKind;
  /** Whether the last layer applies a sigmoid; such models must train with BCE. */
  sigmoidOutput: boolean;
  /** Activation of the hidden layers ('linear' for a model without any). */
  activation: HiddenActivation;
  /** Whether `width` changes the model (false for MLPLinear1Layer). */
  usesWidth: boolean;
  /** Width when the config gives none. */
  defaultWidth: number;
  /** Width of the authors' code (method.md section 4), used by the paper-* presets. */
  paperWidth: number;
  /** The model for one input shape; throws an ElasticityError (field train.model) when the shape does not fit. */
  build(options: BuildOptions): tf.LayersModel;
}

export function flatSize(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
