export { STAGES, SECTION_KEYS, stageSpec } from './stages.ts';
export type { StageName, StageSpec } from './stages.ts';
export { readPipeline, resolvePipelineFile, pipelineNames, skipBrokenPipeline, presentUpstream, stagesOf, PIPELINE_NAME } from './read-pipeline.ts';
export type { Pipeline } from './read-pipeline.ts';
export { parseMatrix, expandMatrix, parseComboFilter, matchesFilter } from './matrix.ts';
export type { MatrixAxis, MatrixValue, Combination } from './matrix.ts';
export { planPipeline, selectCombos, findInstance, instanceProjectName, comboProjectName } from './plan.ts';
export type { PipelinePlan, PlannedCombination, StageInstance } from './plan.ts';
export { stageDir, shardDir, DEFAULT_DATA_ROOT } from './paths.ts';
