export { parseNtkConfig } from './ntk-config.ts';
export type { NtkConfig, NtkKind, NtkMethod, NtkMode } from './ntk-config.ts';
export { runNtk, mergeNtkShards, NTK_FILES, NTK_DIAGONAL_FILES } from './ntk-stage.ts';
export { kernelDiagonal } from './ntk-diagonal.ts';

export { mlpNtk, mlpNetNtk } from './mlp-ntk.ts';
export type { MlpNetNtkOptions } from './mlp-ntk.ts';
export { genericNtk } from './generic-ntk.ts';
export type { GenericNtkOptions } from './generic-ntk.ts';
export { reluInfiniteNtk } from './infinite-ntk.ts';
export type { InfiniteNtkOptions } from './infinite-ntk.ts';
