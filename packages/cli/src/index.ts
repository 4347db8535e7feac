export { main } from './main.ts';
export { runNx } from './run/run-nx.ts';
export { writeCombinationResults, combinationFile } from './results/write-combination-results.ts';
export type { WriteCombinationResultsOptions } from './results/write-combination-results.ts';
export type { CombinationResults, CombinationProvenance } from './results/combination-results.ts';
