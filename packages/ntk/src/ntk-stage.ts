import { join } from 'node:path';
import {
  check, createProgress, ElasticityError, initBackend, loadTrainedModel, mergeMatrixShards, modelInputShape, primaryIndices, readDatasetFile, ROW_TOTAL_KEY, runStage,
  writeFeaturesFile, writeMatrixFile, requestedRows, shardedStageParams,
} from '@elasticity/core';
import { createProducts, inspectMlpNet } from '@elasticity/mlp-engine';
import type { ExampleMatrix, ShardMergeOptions, ShardedStageOptions } from '@elasticity/core';
import { genericNtk } from './generic-ntk.ts';
import { reluInfiniteNtk } from './infinite-ntk.ts';
import { mlpNetNtk } from './mlp-ntk.ts';
import { parseNtkConfig } from './ntk-config.ts';
import { kernelDiagonal, trace } from './ntk-diagonal.ts';

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
      const write = async (kind: 'empirical' | 'infinite', values: Float64Array, extra: Record<string, string>): Promise<void> => {
        if (!values.every(Number.isFinite)) throw new ElasticityError(`the ${kind} NTK has non-finite entries (weights or inputs not finite?)`, { file: modelJson, field: 'weights' });
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
      try {
        if (config.kind.includes('empirical')) {
          const started = performance.now();
          let values: Float64Array;
          if (config.mode === 'diagonal') {
            values = await kernelDiagonal((xb, b) => (method === 'closed-form'
              ? mlpNetNtk(net!, xb, b, { products })
              : genericNtk(model, xb, b, { inputShape, memoryMb: config.memoryMb, products, where: { file: modelJson, field: 'modelTopology' } })), x, n);
          } else if (method === 'closed-form') {
            values = await mlpNetNtk(net!, x, n, { rows, products });
          } else {
            let progress: ReturnType<typeof createProgress> | undefined;
            try {
              values = await genericNtk(model, x, n, {
                inputShape, rows, memoryMb: config.memoryMb, products,
                where: { file: modelJson, field: 'modelTopology' },
                onProgress: (_done, planned) => {
                  progress ??= createProgress('ntk gradients', planned);
                  progress.tick();
                },
              });
            } finally {
              progress?.stop();
            }
          }
          log.info(`empirical NTK (${method}) of ${info.model}: ${config.mode === 'diagonal' ? `diagonal of ${n}` : `${rows.length} x ${n}`} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
          await write('empirical', values, { loss: info.loss, output: info.sigmoidOutput ? 'sigmoid' : 'linear', method });
        }
        if (config.kind.includes('infinite')) {
          const options = { sigmaW2: config.sigmaW2, sigmaB2: config.sigmaB2 };
          const values = config.mode === 'diagonal'
            ? await kernelDiagonal((xb, b) => reluInfiniteNtk(xb, b, depth, options), x, n)
            : reluInfiniteNtk(x, n, depth, { ...options, rows });
          log.info(`infinite-width ReLU NTK, depth ${depth}: ${rows.length} x ${n}`);
          await write('infinite', values, { depth: String(depth), sigma_w2: String(config.sigmaW2), sigma_b2: String(config.sigmaB2) });
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
