import { join } from 'node:path';
import {
  check, createProgress, ElasticityError, initBackend, loadTrainedModel, mergeMatrixShards, modelInputShape, primaryIndices, readDatasetFile, BLOCK_ROWS_KEY, ROW_TOTAL_KEY, runStage,
  writeFeaturesFile, writeMatrixFile, requestedRows, shardedStageParams, matrixRowsWithin, writeMatrixBlocks,
} from '@elasticity/core';
import { createProducts, featureMemoryBytes, inspectMlpNet, mlpNetFeatures } from '@elasticity/mlp-engine';
import type { ExampleMatrix, ShardMergeOptions, ShardedStageOptions } from '@elasticity/core';
import { genericNtk } from './generic-ntk.ts';
import { reluInfiniteNtk } from './infinite-ntk.ts';
import { mlpNetNtk } from './mlp-ntk.ts';
import { parseNtkConfig } from './ntk-config.ts';
import { kernelDiagonal, trace } from './ntk-diagonal.ts';

/** How one kind's kernel is computed: a block of examples against themselves (the diagonal), or given rows against every example. */
interface KernelRows {
  block: (x: Float32Array, b: number) => Promise<Float64Array> | Float64Array;
  rows: (rows: number[]) => Promise<Float64Array>;
  /** Bytes held per kernel entry while rows are computed, and bytes held whatever the rows (for ntk.memoryMb). */
  bytesPerEntry: number;
  fixedBytes: number;
  /** Holds every row at once whatever the rows asked for (cannot be computed in blocks). */
  whole?: boolean;
}

/** The generic method's per-example gradients may take this fraction of ntk.memoryMb (a quarter: 1024 MB of the default 4096). */
const GENERIC_GRADIENT_SHARE = 4;

const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(2);

/** File written for each kind. */
export const NTK_FILES = { empirical: 'ntk.arrow', infinite: 'ntk-infinite.arrow' } as const;
/** File written for each kind with mode 'diagonal': one value per example, K(x_i, x_i) (a features file of dimension 1; the trace in its metadata). */
export const NTK_DIAGONAL_FILES = { empirical: 'ntk-diagonal.arrow', infinite: 'ntk-infinite-diagonal.arrow' } as const;

/**
 * The ntk stage: kernels over the primary examples (dataset order), written
 * as Float64 matrices. 'empirical': the NTK of the model's output (p for a
 * sigmoid output) at its trained or initial weights, in closed form for the
 * MLP family and from per-example gradients for any other model (CNNs);
 * 'infinite': the infinite-width ReLU NTK of the model's depth. With `rows`
 * only those rows are written (a shard; join shards with mergeNtkShards):
 * rows are the primary examples in dataset order, columns all of them.
 * With mode 'diagonal' only each example's K(x_i, x_i) is computed and
 * written (NTK_DIAGONAL_FILES), with the trace in the metadata and the log.
 */
export async function runNtk(options: ShardedStageOptions): Promise<void> {
  const { pipelineFile, datasetFile, outDir } = options;
  const config = parseNtkConfig(options.config, pipelineFile);
  // the product workers boot while the inputs load
  const products = createProducts({ precision: config.precision });
  if (config.kind.includes('empirical')) products.warmUp();
  await initBackend();
  const { dataset } = await readDatasetFile(datasetFile);
  const primary = primaryIndices(dataset);
  check(primary.length > 0, 'has no primary examples', { file: datasetFile, field: 'role' });
  const n = primary.length;
  const [start, end] = requestedRows(options, n, 'primary examples');
  const { model, info, modelJson, modelWeights } = await loadTrainedModel(options.modelDir, config.from, datasetFile, { file: pipelineFile, field: 'ntk.from' });
  const inspected = inspectMlpNet(model);
  const net = 'net' in inspected ? inspected.net : undefined;
  if (config.method === 'closed-form' && !net) {
    throw new ElasticityError(`the closed form needs a model of the MLP family, and ${modelJson} is not one: ${'reason' in inspected ? inspected.reason : ''} (use "generic" or "auto")`, { file: pipelineFile, field: 'ntk.method' });
  }
  const method = net && config.method !== 'generic' ? 'closed-form' : 'generic';
  const d = dataset.d;
  const inputShape = modelInputShape(model, d, datasetFile);
  let depth = 0;
  if (config.kind.includes('infinite')) {
    if (config.depth !== 'model') depth = config.depth;
    else if (net) depth = net.layers.length;
    else throw new ElasticityError(`depth "model" needs a model of the MLP family (${modelJson} is not one): give an integer depth`, { file: pipelineFile, field: 'ntk.depth' });
  }
  const x = new Float32Array(n * d);
  const ids = new Int32Array(n);
  primary.forEach((row, j) => {
    x.set(dataset.x.subarray(row * d, (row + 1) * d), j * d);
    ids[j] = dataset.ids[row];
  });
  const rows = Array.from({ length: end - start }, (_, r) => start + r);
  const rowIds = Int32Array.from(rows, (r) => ids[r]);
  await runStage(
    { stage: 'ntk', outDir, params: shardedStageParams(config, options, [start, end]), seed: null, inputFiles: [datasetFile, modelJson, modelWeights] },
    async ({ dir, meta, log }) => {
      const common = { [ROW_TOTAL_KEY]: String(n), from: config.from, model: info.model };
      const checkFinite = (kind: string, values: Float64Array): void => {
        if (!values.every(Number.isFinite)) throw new ElasticityError(`the ${kind} NTK has non-finite entries (weights or inputs not finite?)`, { file: modelJson, field: 'weights' });
      };
      const write = async (kind: 'empirical' | 'infinite', values: Float64Array, extra: Record<string, string>): Promise<void> => {
        checkFinite(kind, values);
        if (config.mode === 'diagonal') {
          const sum = trace(values);
          log.info(`${kind} NTK diagonal of ${n} examples: trace ${sum.toPrecision(8)}, mean ${(sum / n).toPrecision(6)}`);
          await writeFeaturesFile(join(dir, NTK_DIAGONAL_FILES[kind]), { kind: kind === 'empirical' ? 'ntk-diagonal' : 'ntk-infinite-diagonal', ids, values, dim: 1 }, meta,
            { ...common, ...extra, trace: String(sum) });
          return;
        }
        const matrix: ExampleMatrix = { kind: kind === 'empirical' ? 'ntk' : 'ntk-infinite', rowIds, columnIds: ids, values, extra: { ...common, ...extra } };
        await writeMatrixFile(join(dir, NTK_FILES[kind]), matrix, meta);
      };
      const where = { file: pipelineFile, field: 'ntk.memoryMb' };
      /** Writes one kind's kernel: its diagonal, the whole matrix, or row blocks within the memory budget. */
      const emit = async (kind: 'empirical' | 'infinite', label: string, kernel: KernelRows, extra: Record<string, string>): Promise<void> => {
        const started = performance.now();
        if (config.mode === 'diagonal') {
          const values = await kernelDiagonal(kernel.block, x, n);
          log.info(`${label}: diagonal of ${n} in ${seconds(started)} s`);
          return write(kind, values, extra);
        }
        const blockRows = matrixRowsWithin(config.memoryMb, { columns: n, bytesPerEntry: kernel.bytesPerEntry, fixedBytes: kernel.fixedBytes }, where);
        // block_rows: the record batches of the whole matrix's file, which merging shards re-creates
        const blocksExtra = { ...extra, [BLOCK_ROWS_KEY]: String(blockRows) };
        if (blockRows >= rows.length) {
          const values = await kernel.rows(rows);
          log.info(`${label}: ${rows.length} x ${n} in ${seconds(started)} s`);
          return write(kind, values, blocksExtra);
        }
        if (kernel.whole) {
          throw new ElasticityError(`${label} holds the whole ${rows.length} x ${n} kernel (${Math.ceil((rows.length * n * kernel.bytesPerEntry + kernel.fixedBytes) / 2 ** 20)} MB), over the budget: raise ntk.memoryMb, or split the rows with ntk.shards`, where);
        }
        const blocks = Math.ceil(rows.length / blockRows);
        log.info(`${label}: ${rows.length} x ${n} in ${blocks} blocks of up to ${blockRows} rows (ntk.memoryMb ${config.memoryMb})`);
        const output = { file: join(dir, NTK_FILES[kind]), header: { kind: kind === 'empirical' ? 'ntk' : 'ntk-infinite', columnIds: ids, extra: { ...common, ...blocksExtra } } };
        const progress = createProgress(`${kind} NTK blocks`, blocks);
        try {
          await writeMatrixBlocks([output], meta, rows.length, blockRows, async (from, to) => {
            const values = await kernel.rows(rows.slice(from, to));
            checkFinite(kind, values);
            progress.tick();
            return [{ rowIds: rowIds.subarray(from, to), values }];
          });
        } finally {
          progress.stop();
        }
        log.info(`${label}: ${rows.length} x ${n} in ${seconds(started)} s`);
      };
      try {
        if (config.kind.includes('empirical')) {
          let kernel: KernelRows;
          if (method === 'closed-form') {
            let features: ReturnType<typeof mlpNetFeatures> | undefined;
            kernel = {
              block: (xb, b) => mlpNetNtk(net!, xb, b, { products }),
              rows: async (slice) => mlpNetNtk(net!, x, n, { rows: slice, precisionRows: rows.length, products, features: await (features ??= mlpNetFeatures(net!, x, n, products, { backward: true, rowMajor: false })) }),
              // per entry: the kernel, two Grams per layer and the readout's (float64); fixed: the inputs (the data set's and the stage's copy) and every example's features
              bytesPerEntry: 8 * (2 * net!.layers.length + 2),
              fixedBytes: 2 * n * d * 4 + featureMemoryBytes(net!, n, products),
            };
          } else {
            let progress: ReturnType<typeof createProgress> | undefined;
            const generic = (xb: Float32Array, b: number, part?: number[]) => genericNtk(model, xb, b, {
              inputShape, rows: part, memoryMb: config.memoryMb / GENERIC_GRADIENT_SHARE, products, where: { file: modelJson, field: 'modelTopology' },
              onProgress: part === undefined ? undefined : (_done, planned) => {
                progress ??= createProgress('ntk gradients', planned);
                progress.tick();
              },
            });
            kernel = {
              block: (xb, b) => generic(xb, b),
              rows: async (slice) => {
                try {
                  return await generic(x, n, slice);
                } finally {
                  progress?.stop();
                }
              },
              bytesPerEntry: 8, fixedBytes: 0, whole: true,
            };
          }
          await emit('empirical', `empirical NTK (${method}) of ${info.model}`, kernel, { loss: info.loss, output: info.sigmoidOutput ? 'sigmoid' : 'linear', method });
        }
        if (config.kind.includes('infinite')) {
          const options = { sigmaW2: config.sigmaW2, sigmaB2: config.sigmaB2 };
          const kernel: KernelRows = {
            block: (xb, b) => reluInfiniteNtk(xb, b, depth, options),
            rows: async (slice) => reluInfiniteNtk(x, n, depth, { ...options, rows: slice }),
            bytesPerEntry: 8 * 4, fixedBytes: 2 * n * d * 4 + n * 8 * (depth + 1),
          };
          await emit('infinite', `infinite-width ReLU NTK, depth ${depth}`, kernel, { depth: String(depth), sigma_w2: String(config.sigmaW2), sigma_b2: String(config.sigmaB2) });
        }
      } finally {
        model.dispose();
      }
    },
  );
}

/** Joins NTK row shards (runNtk with rows) into exactly the files an unsharded runNtk writes (same bytes). */
export async function mergeNtkShards(options: ShardMergeOptions): Promise<void> {
  await mergeMatrixShards({ stage: 'ntk', shardDirs: options.shardDirs, outDir: options.outDir });
}
