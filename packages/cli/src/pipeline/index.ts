export { STAGES, SECTION_KEYS, stageSpec } from './stages.ts';
export type { StageName, StageSpec } from './stages.ts';
export { readPipeline, resolvePipelineFile, presentUpstream, PIPELINE_NAME } from './read-pipeline.ts';
export type { Pipeline } from './read-pipeline.ts';
export { stageDir, shardDir, DEFAULT_DATA_ROOT } from './paths.ts';
