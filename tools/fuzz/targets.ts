import { gzipSync } from 'node:zlib';
import {
  CLUSTERS_CONTRACT, DATASET_CONTRACT, FEATURES_CONTRACT, MATRIX_CONTRACT, NEIGHBOURS_CONTRACT, TRAINING_METRICS_CONTRACT, encodeContractTable,
  readClustersFile, readDatasetFile, readFeaturesFile, readMatrixFile, readNeighboursFile, readTrainingMetricsFile,
} from '@elasticity/core';
import type { Contract, ColumnValues } from '@elasticity/core';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readCifarBatch, readIdxImages, readIdxLabels } from '@elasticity/datasets';
import { readPipeline } from '@elasticity/pipeline';
import { validatePipeline } from '@elasticity/pipeline/schema';
import { idxBytes, fakePixels, cifarBytes } from '../../packages/datasets/src/readers/fixtures.ts';

/** A reader under fuzzing: valid seed inputs, and the call that must accept them or fail clearly. */
export interface FuzzTarget {
  name: string;
  /** File name suffix (the pipeline reader wants .json). */
  ext: string;
  seeds: Uint8Array[];
  /** 'bytes' mutates raw bytes; 'json' also mutates the parsed structure. */
  kind: 'bytes' | 'json';
  read(file: string): Promise<unknown>;
}

const META = { stage: 'fuzz', params: { seed: 1 }, seed: 1, inputs: { 'x.bin': 'ab' } };
const ids = Int32Array.from([4, 8, 15]);

function arrowSeed(contract: Contract, columns: Record<string, ColumnValues>, extra: Record<string, string>): Uint8Array {
  return encodeContractTable(contract, columns, { ...META, extra });
}

const images = idxBytes(IDX_IMAGES_MAGIC, [3, 4, 5], Uint8Array.from({ length: 60 }, (_, i) => fakePixels(i, 1)[0]));
const labels = idxBytes(IDX_LABELS_MAGIC, [3], Uint8Array.from([1, 7, 9]));

const PIPELINE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 500, seed: 0 },
  train: { model: 'MLPNet', width: 1024, loss: 'mse', lr: 0.003, batch: 50, epochs: 20, seed: 0 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors', method: 'auto' },
  ntk: { kind: 'empirical' },
  similarity: { use: ['relative', 'kernelized', 'ntk'], baselines: ['raw', 'pca'], pcaComponents: 100, neighbours: { k: 5 } },
  cluster: { k: 2, seeds: 5, restarts: 10, methods: [{ input: 'raw', method: 'kmeans' }, { input: 'ntk', method: 'kernel-kmeans' }] },
  report: {},
};
const SYNTHETIC = { dataset: { source: 'synthetic', seed: 3, synthetic: { shape: 'torus', points: 50 } }, train: { model: 'MLPLinear', width: 64 }, similarity: { use: [], baselines: ['raw'] }, cluster: { methods: [{ input: 'raw', method: 'kmeans' }] } };

const text = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2));

export const TARGETS: FuzzTarget[] = [
  { name: 'idx-images', ext: '', kind: 'bytes', seeds: [images, gzipSync(images)], read: (f) => readIdxImages(f) },
  { name: 'idx-labels', ext: '', kind: 'bytes', seeds: [labels, gzipSync(labels)], read: (f) => readIdxLabels(f) },
  { name: 'cifar-batch', ext: '.bin', kind: 'bytes', seeds: [cifarBytes([0, 3, 9])], read: (f) => readCifarBatch(f) },
  {
    name: 'arrow-dataset', ext: '.arrow', kind: 'bytes', read: (f) => readDatasetFile(f),
    seeds: [arrowSeed(DATASET_CONTRACT, {
      id: ids, x: Float32Array.from({ length: 12 }, (_, i) => i / 6 - 1), target: Float32Array.from([1, 1, 0]),
      class: Int16Array.from([4, 9, 5]), role: ['primary', 'primary', 'auxiliary'], coord: Float64Array.from([0.1, 0.2, 0.3]),
    }, { name: 'fuzz', input_shape: '[2,2]', scaling: 'none' })],
  },
  {
    name: 'arrow-matrix', ext: '.arrow', kind: 'bytes', read: (f) => readMatrixFile(f),
    seeds: [arrowSeed(MATRIX_CONTRACT, { id: ids, row: Float64Array.from({ length: 9 }, (_, i) => i), eta: Float64Array.from([1e-6, 3e-6, 9e-6]) }, { kind: 'relative', column_ids: '[4,8,15]' })],
  },
  {
    name: 'arrow-features', ext: '.arrow', kind: 'bytes', read: (f) => readFeaturesFile(f),
    seeds: [arrowSeed(FEATURES_CONTRACT, { id: ids, x: Float64Array.from([1, 2, 3, 4, 5, 6]) }, { kind: 'pca' })],
  },
  {
    name: 'arrow-clusters', ext: '.arrow', kind: 'bytes', read: (f) => readClustersFile(f),
    seeds: [arrowSeed(CLUSTERS_CONTRACT, { id: ids, cluster: Int16Array.from([0, 1, 0]), class: Int16Array.from([4, 9, 4]) }, { method: 'kmeans', input: 'raw' })],
  },
  {
    name: 'arrow-neighbours', ext: '.arrow', kind: 'bytes', read: (f) => readNeighboursFile(f),
    seeds: [arrowSeed(NEIGHBOURS_CONTRACT, { id: ids, neighbour_ids: Int32Array.from([8, 15, 4, 15, 4, 8]), values: Float64Array.from([0.5, 0.25, 1, 0.5, 2, -1]) }, { kind: 'relative', k: '1', order: 'most moved, then least moved' })],
  },
  {
    name: 'arrow-training-metrics', ext: '.arrow', kind: 'bytes', read: (f) => readTrainingMetricsFile(f),
    seeds: [arrowSeed(TRAINING_METRICS_CONTRACT, {
      epoch: Int32Array.from([1, 2]), loss: Float64Array.from([0.3, 0.2]), train_accuracy: Float64Array.from([0.8, 0.9]),
      test_accuracy: Float64Array.from([0.7, 0.8]),
    }, {})],
  },
  {
    name: 'pipeline', ext: '.json', kind: 'json', seeds: [text(PIPELINE), text(SYNTHETIC)],
    read: async (file) => {
      const pipeline = readPipeline(file);
      validatePipeline(pipeline);
      return pipeline;
    },
  },
];
