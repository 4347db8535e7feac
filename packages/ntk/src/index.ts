export { parseNtkConfig } from './ntk-config.ts';
export type { NtkConfig, NtkKind, NtkMethod } from './ntk-config.ts';
export { runNtk, mergeNtkShards, NTK_FILES } from './ntk-stage.ts';

export { mlpNtk, mlpNetNtk } from './mlp-ntk.ts';
export type { MlpNetNtkOptions } from './mlp-ntk.ts';
export { genericNtk } from './generic-ntk.ts';
export type { GenericNtkOptions } from './generic-ntk.ts';
export { reluInfiniteNtk } from './infinite-ntk.ts';
export type { InfiniteNtkOptions } from './infinite-ntk.ts';
