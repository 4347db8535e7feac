/**
 * What every stage shares: errors and configuration sections, seeded
 * randomness, logging and progress, hashing and atomic files, the stage
 * runner, dense products, the Arrow contracts and their files, the model
 * folder. `@elasticity/core/light` is the part that loads in milliseconds,
 * `@elasticity/core/tf` is TensorFlow.js, `@elasticity/core/testing` the
 * tests' helpers.
 */
export { ElasticityError, check } from './errors.ts';
export { suggestName, unknownKeyError } from './config/config-keys.ts';
export { z } from 'zod';
export { sectionParser } from './config/parse-section.ts';
export type { SectionParser } from './config/parse-section.ts';
export { expectAs, formatValue } from './config/describe-expected.ts';
export { distinctItems, whenValid } from './config/list-rules.ts';
export { createRng, permutation } from './rng.ts';
export type { Rng } from './rng.ts';
export { summarize } from './summary.ts';
export type { Summary } from './summary.ts';
export { createLogger } from './log.ts';
export type { Logger, LogLevel } from './log.ts';
export { createProgress } from './progress.ts';
export type { Progress } from './progress.ts';
export { sha256, sha256File, stableStringify, hashJson } from './hash.ts';
export { writeFileAtomic } from './fs/atomic.ts';
export { readInputFile, readJsonFile, readJsonFileSync } from './fs/read.ts';
export { runStage, readStageTimings } from './stage.ts';
export { releaseMemory } from './release-memory.ts';
export type { StageRequest, StageContext } from './stage.ts';
export { requestedRows, shardedStageParams } from './sharded-stage.ts';
export type { ShardedStageOptions, ShardMergeOptions } from './sharded-stage.ts';
export { initBackend, currentBackend, BACKEND_CHOICES } from './backend.ts';
export type { BackendChoice } from './backend.ts';
export { dot, matMulABt, matMul, rowNorms } from './linalg/gemm.ts';
export { symmetrizeInPlace } from './linalg/symmetrize.ts';

export type { StageMeta } from './arrow/metadata.ts';
export { decodeMeta } from './arrow/metadata.ts';
export type { ColumnKind, ColumnSpec, ColumnValues } from './arrow/columns.ts';
export { DATASET_CONTRACT, TRAINING_METRICS_CONTRACT, MATRIX_CONTRACT, FEATURES_CONTRACT, CLUSTERS_CONTRACT, NEIGHBOURS_CONTRACT } from './arrow/contract.ts';
export type { Contract } from './arrow/contract.ts';
export { readArrowTable, decodeArrowTable, validateContractTable, encodeContractTable, contractOfTable } from './arrow/table-io.ts';
export type { ContractTable } from './arrow/table-io.ts';
export { writeDatasetFile, readDatasetFile, primaryIndices } from './arrow/dataset.ts';
export type { Dataset, Role } from './arrow/dataset.ts';
export { writeMatrixFile, readMatrixFile, assertSquare } from './arrow/matrix.ts';
export type { ExampleMatrix } from './arrow/matrix.ts';
export { openMatrixBlockWriter, readMatrixBlocks, writeMatrixBlocks } from './arrow/matrix-blocks.ts';
export type { MatrixBlock, MatrixBlockOutput, MatrixBlocks, MatrixBlockWriter, MatrixHeader } from './arrow/matrix-blocks.ts';
export { matrixRowsWithin } from './arrow/matrix-budget.ts';
export { readMatrixRowBlocks } from './arrow/matrix-row-blocks.ts';
export type { MatrixRowBlock, MatrixRowBlocks } from './arrow/matrix-row-blocks.ts';
export { openMatrixColumnBlocks } from './arrow/matrix-column-blocks.ts';
export { readArrowSchema, readColumnNames } from './arrow/column-names.ts';
export type { MatrixColumnBlocks } from './arrow/matrix-column-blocks.ts';
export { mergeMatrixShards, BLOCK_ROWS_KEY, ROW_TOTAL_KEY } from './arrow/matrix-shards.ts';
export type { MergeMatrixShardsOptions } from './arrow/matrix-shards.ts';
export { writeFeaturesFile, readFeaturesFile } from './arrow/features.ts';
export type { FeatureRows } from './arrow/features.ts';
export { writeClustersFile, readClustersFile } from './arrow/clusters.ts';
export type { ClusterAssignment } from './arrow/clusters.ts';
export { writeNeighboursFile, readNeighboursFile } from './arrow/neighbours.ts';
export type { ElasticNeighbours } from './arrow/neighbours.ts';
export { writeTrainingMetricsFile, readTrainingMetricsFile } from './arrow/training-metrics.ts';
export type { EpochRecord } from './arrow/training-metrics.ts';
export {
  saveModelDir, loadModelDir, loadTrainedModel, modelInputShape, readModelInfo, checkModelTrainedOn, trainedOnRecord, MODEL_JSON, MODEL_WEIGHTS,
} from './model-io.ts';
export type { ModelInfo } from './model-io.ts';
export { MODEL_FROM_SCHEMA, checkpointEpoch, checkpointFolder } from './model-from.ts';
export type { ModelFrom } from './model-from.ts';
export { openOnnxMatMul, KERNEL_CHOICES } from './onnx-matmul.ts';
export type { OnnxMatMul, KernelChoice } from './onnx-matmul.ts';
