export { ElasticityError, check } from './errors.ts';
export { assertKnownKeys, suggestName } from './config-keys.ts';
export { createRng, shuffleInPlace, permutation } from './rng.ts';
export type { Rng } from './rng.ts';
export { createLogger } from './log.ts';
export type { Logger, LogLevel } from './log.ts';
export { createProgress } from './progress.ts';
export type { Progress } from './progress.ts';
export { sha256, sha256File, stableStringify, hashJson } from './hash.ts';
export { writeFileAtomic, writeFilesAtomic } from './fs/atomic.ts';
export { withStagingDir } from './fs/staging.ts';
export { readInputFile, readJsonFile, readJsonFileSync } from './fs/read.ts';
export { runStage } from './stage.ts';
export type { StageRequest, StageContext } from './stage.ts';
export { initBackend, currentBackend, BACKEND_CHOICES, tf } from './backend.ts';
export type { BackendChoice } from './backend.ts';
export { matMulABt, matMul, rowDot, symmetrize } from './linalg/gemm.ts';

export type { StageMeta } from './arrow/metadata.ts';
export { encodeMeta, decodeMeta } from './arrow/metadata.ts';
export type { ColumnKind, ColumnSpec, ColumnValues } from './arrow/columns.ts';
export {
  DATASET_CONTRACT, TRAINING_METRICS_CONTRACT, MATRIX_CONTRACT, FEATURES_CONTRACT, CLUSTERS_CONTRACT, CONTRACTS,
} from './arrow/contract.ts';
export type { Contract } from './arrow/contract.ts';
export {
  readArrowTable, decodeArrowTable, readContractFile, validateContractTable, writeContractFile, encodeContractTable, contractOfTable,
} from './arrow/table-io.ts';
export type { ContractTable } from './arrow/table-io.ts';
export { writeDatasetFile, readDatasetFile, primaryIndices, datasetSize } from './arrow/dataset.ts';
export type { Dataset, Role } from './arrow/dataset.ts';
export { writeMatrixFile, readMatrixFile, assertSquare } from './arrow/matrix.ts';
export type { ExampleMatrix } from './arrow/matrix.ts';
export { writeFeaturesFile, readFeaturesFile } from './arrow/features.ts';
export type { FeatureRows } from './arrow/features.ts';
export { writeClustersFile, readClustersFile } from './arrow/clusters.ts';
export type { ClusterAssignment } from './arrow/clusters.ts';
export { writeTrainingMetricsFile, readTrainingMetricsFile } from './arrow/training-metrics.ts';
export type { EpochRecord } from './arrow/training-metrics.ts';
export { saveModelDir, loadModelDir, readModelInfo, MODEL_JSON, MODEL_WEIGHTS } from './model-io.ts';
export type { ModelInfo } from './model-io.ts';
export { inspectDenseMlp, readDenseMlp } from './mlp/dense-mlp.ts';
export type { DenseMlp, HiddenActivation } from './mlp/dense-mlp.ts';
export { sigmoid, sigmoidDifference, activate, activationSlope } from './mlp/activation.ts';
export { mlpHiddenFeatures } from './mlp/hidden-features.ts';
export type { MlpHiddenFeatures } from './mlp/hidden-features.ts';
export { inspectMlpNet, readMlpNet, mlpNetFromDense, denseFromMlpNet, cloneMlpNet, readoutWidth } from './mlp/mlp-net.ts';
export type { MlpNet, MlpLayer } from './mlp/mlp-net.ts';
export { randomNet, zooNets } from './mlp/random-net.ts';
export { netToModel } from './mlp/net-to-model.ts';
export { mlpNetFeatures, layerPreActivations, gatherRows } from './mlp/net-features.ts';
export type { MlpNetFeatures } from './mlp/net-features.ts';
export { createProducts, FLOAT64_PRODUCTS, PRODUCT_PRECISIONS, sharedFloat64Array } from './mlp/products.ts';
export type { Products, ProductOptions, ProductPrecision } from './mlp/products.ts';
export { float32BlockErrorBound, DEFAULT_BLOCK_K } from './mlp/float32-blocks.ts';
export { mergeMatrixShards, requestedRows, ROW_TOTAL_KEY } from './mlp/matrix-shards.ts';
export type { MergeMatrixShardsOptions } from './mlp/matrix-shards.ts';
export { gradientBackendFor, onBackend } from './mlp/gradient-backend.ts';
