import type { ColumnSpec } from './columns.ts';

/** A contract: the columns and metadata one kind of stage output must have. */
export interface Contract {
  /** File kind, for messages ("dataset", "matrix", ...). */
  name: string;
  schemaVersion: number;
  required: ColumnSpec[];
  optional?: ColumnSpec[];
  /** Metadata keys (besides the common ones) that must be present. */
  requiredMeta?: string[];
}

export const DATASET_CONTRACT: Contract = {
  name: 'dataset',
  schemaVersion: 1,
  required: [
    { name: 'id', kind: 'int32' },
    { name: 'x', kind: 'list-float32' },
    { name: 'target', kind: 'float32' },
    { name: 'class', kind: 'int16' },
    { name: 'role', kind: 'utf8-dict' },
  ],
  optional: [{ name: 'coord', kind: 'list-float64' }],
  requiredMeta: ['name', 'input_shape', 'scaling'],
};

/** Version 2 dropped the wall-clock `seconds` column: a stage output holds only what follows from the stage's inputs. */
export const TRAINING_METRICS_CONTRACT: Contract = {
  name: 'training metrics',
  schemaVersion: 2,
  required: [
    { name: 'epoch', kind: 'int32' },
    { name: 'loss', kind: 'float64' },
    { name: 'train_accuracy', kind: 'float64' },
    { name: 'test_accuracy', kind: 'float64' },
  ],
};

/** probe.arrow, ntk.arrow, similarity.arrow: one row of a square (or sharded) matrix per example. */
export const MATRIX_CONTRACT: Contract = {
  name: 'matrix',
  schemaVersion: 1,
  required: [
    { name: 'id', kind: 'int32' },
    { name: 'row', kind: 'list-float64' },
  ],
  optional: [{ name: 'eta', kind: 'float64' }],
  requiredMeta: ['kind', 'column_ids'],
};

/** Feature rows for the baselines (raw pixels, PCA, autoencoder codes, user features). */
export const FEATURES_CONTRACT: Contract = {
  name: 'features',
  schemaVersion: 1,
  required: [
    { name: 'id', kind: 'int32' },
    { name: 'x', kind: 'list-float64' },
  ],
  requiredMeta: ['kind'],
};

export const CLUSTERS_CONTRACT: Contract = {
  name: 'clusters',
  schemaVersion: 1,
  required: [
    { name: 'id', kind: 'int32' },
    { name: 'cluster', kind: 'int16' },
    { name: 'class', kind: 'int16' },
  ],
  requiredMeta: ['method', 'input'],
};

/**
 * neighbours-relative.arrow, neighbours-kernelized.arrow: for each probed
 * example, the 2k examples of its probe row whose predictions the step at it
 * moves the most (k, largest value first) and the least (k, smallest first),
 * itself excluded, and their values; metadata: kind, k, order.
 */
export const NEIGHBOURS_CONTRACT: Contract = {
  name: 'neighbours',
  schemaVersion: 1,
  required: [
    { name: 'id', kind: 'int32' },
    { name: 'neighbour_ids', kind: 'list-int32' },
    { name: 'values', kind: 'list-float64' },
  ],
  requiredMeta: ['kind', 'k', 'order'],
};

export const CONTRACTS: Contract[] = [DATASET_CONTRACT, TRAINING_METRICS_CONTRACT, MATRIX_CONTRACT, FEATURES_CONTRACT, CLUSTERS_CONTRACT, NEIGHBOURS_CONTRACT];
