export { parseTrainConfig, TRAIN_DEFAULTS } from './train-config.ts';
export type { TrainConfig } from './train-config.ts';
export { PRESETS, presetNames, presetSettings } from './presets.ts';
export type { PresetName, PresetSettings } from './presets.ts';
export { runTrain, TRAIN_OUTPUTS } from './train-stage.ts';
export type { RunTrainOptions } from './train-stage.ts';

export { MODEL_ZOO, modelNames, getModelSpec, MLPNet } from './models/zoo.ts';
export type { BuildOptions, HiddenActivation, LossKind, ModelSpec } from './models/model-spec.ts';
export { initPyTorchDefault } from './init.ts';
export { trainModel, accuracy, DECISION_THRESHOLD } from './train.ts';
export type { TrainData, TrainOptions } from './train.ts';
