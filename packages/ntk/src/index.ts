export { mlpNtk } from './mlp-ntk.ts';
export { parseNtkConfig } from './ntk-config.ts';
export type { NtkConfig } from './ntk-config.ts';
export { runNtk } from './ntk-stage.ts';
export type { RunNtkOptions } from './ntk-stage.ts';
