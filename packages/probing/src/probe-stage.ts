import { join } from 'node:path';
import {
  check, createProgress, ElasticityError, initBackend, loadTrainedModel, matrixRowsWithin, mergeMatrixShards, modelInputShape, readDatasetFile,
  BLOCK_ROWS_KEY, ROW_TOTAL_KEY, runStage, writeMatrixBlocks, writeMatrixFile, requestedRows, shardedStageParams,
} from '@elasticity/core';
import { createProducts, featureMemoryBytes, inspectMlpNet } from '@elasticity/mlp-engine';
import type { Dataset, Progress, ShardMergeOptions, ShardedStageOptions } from '@elasticity/core';
import type { MlpNet } from '@elasticity/mlp-engine';
import { AUTHORS_ETA_LIMIT, AUTHORS_ETA_START } from './eta.ts';
import { fastNetProbe } from './fast-mlp-probe.ts';
import { genericProbe } from './generic-probe.ts';
import { parseProbeConfig } from './probe-config.ts';
import type { ProbeKind, ProbeSet } from './probe-config.ts';
import { kernelizedSimilarity, relativeSimilarity } from './probe-result.ts';
import type { ProbeExamples, ProbeResult } from './probe-result.ts';

/** Dataset rows (in dataset order) of a probe set. */
function setRows(dataset: Dataset, set: ProbeSet): number[] {
  const out: number[] = [];
  dataset.roles.forEach((role, i) => {
    if (set === 'all' || role === set) out.push(i);
  });
  return out;
}

/**
 * The probe stage. For each probed example x_i (dataset order), one SGD
 * step at (x_i, target_i), from the same weights w* every time ('reset',
 * the authors' protocol) or continuing from the previous step ('online':
 * one SGD epoch, batch size 1), and the change delta_i(x_j) = f(x_j; w+) - f(x_j; w)
 * at every measured x_j. Writes (one row per probed example, Float64)
 * - relative.arrow:   S_rel(x_i, x_j) = |delta_i(x_j)| / |delta_i(x_i)|
 * - kernelized.arrow: S_ker(x_i, x_j) = -delta_i(x_j) / (eta l'_i)
 * with the eta of each row. Matrices are not symmetrised here. With `rows`
 * only the probed examples [start, end) (in dataset order) are probed, every
 * measured example still measured; in online mode the steps before `start`
 * run unrecorded. Join shards with mergeProbeShards.
 *
 * Note on the authors' code: for squared loss it divides the change by
 * 2 eta (-(f_i - y_i)), exactly S_ker above; for BCE it divides by 2 eta and
 * by -(p - y)/(p (1 - p)), i.e. it computes S_ker / 2. A constant factor
 * changes no clustering; this stage writes the clean S_ker.
 */
export async function runProbe(options: ShardedStageOptions): Promise<void> {
  const { pipelineFile, datasetFile, outDir } = options;
  const config = parseProbeConfig(options.config, pipelineFile);
  // the product workers boot while the inputs load
  const products = createProducts({ precision: config.precision });
  if (config.method !== 'generic') products.warmUp();
  await initBackend();
  const { dataset } = await readDatasetFile(datasetFile);
  const probedRows = setRows(dataset, config.probed);
  const measuredRows = setRows(dataset, config.measured);
  check(probedRows.length > 0, `has no ${config.probed} examples to probe`, { file: datasetFile, field: 'role' });
  check(measuredRows.length > 0, `has no ${config.measured} examples to measure`, { file: datasetFile, field: 'role' });
  const total = probedRows.length;
  const [start, end] = requestedRows(options, total, 'probed examples');

  const { model, info, modelJson, modelWeights } = await loadTrainedModel(options.modelDir, config.from, datasetFile, { file: pipelineFile, field: 'probe.from' });
  const inspected = inspectMlpNet(model);
  const net: MlpNet | undefined = 'net' in inspected ? inspected.net : undefined;
  if (config.method === 'fast' && !net) {
    throw new ElasticityError(`method "fast" needs a model of the MLP family, but ${modelJson} is not one: ${'reason' in inspected ? inspected.reason : ''} (use "generic" or "auto")`, { file: pipelineFile, field: 'probe.method' });
  }
  const method = config.method === 'generic' || !net ? 'generic' : 'fast';
  const d = dataset.d;
  const inputShape = modelInputShape(model, d, datasetFile);
  const sigmoidOutput = net ? net.sigmoidOutput : info.sigmoidOutput;
  if (net && net.sigmoidOutput !== info.sigmoidOutput) {
    throw new ElasticityError(`says sigmoidOutput ${info.sigmoidOutput}, but the layers ${net.sigmoidOutput ? 'end' : 'do not end'} in a sigmoid`, { file: modelJson, field: 'userDefinedMetadata.elasticity.sigmoidOutput' });
  }
  if (info.loss === 'bce' && !sigmoidOutput) {
    throw new ElasticityError('loss "bce" needs a sigmoid output', { file: modelJson, field: 'userDefinedMetadata.elasticity.loss' });
  }

  // the examples involved: probed and measured ones, in dataset order
  const union = [...new Set([...probedRows, ...measuredRows])].sort((p, q) => p - q);
  const position = new Map(union.map((row, u) => [row, u]));
  const N = union.length;
  const x = new Float32Array(N * d);
  const targets = new Float32Array(N);
  union.forEach((row, u) => {
    x.set(dataset.x.subarray(row * d, (row + 1) * d), u * d);
    targets[u] = dataset.target[row];
  });
  const probed = probedRows.map((row) => position.get(row)!);
  const columns = measuredRows.map((row) => position.get(row)!);
  const online = config.mode === 'online';
  const ex: ProbeExamples = online
    ? { x, n: N, targets, rows: probed.slice(0, end), columns, record: [start, end] }
    : { x, n: N, targets, rows: probed.slice(start, end), columns };

  await runStage(
    {
      stage: 'probe', outDir, params: shardedStageParams(config, options, [start, end]), seed: null,
      inputFiles: [datasetFile, modelJson, modelWeights],
    },
    async ({ dir, meta, log }) => {
      log.info(`${method} ${config.mode} probe of rows ${start}..${end - 1} of ${total} ${config.probed} examples, measured at ${columns.length} ${config.measured} examples; ${info.model} ${info.loss}, from ${config.from}, eta ${config.eta}`);
      const started = performance.now();
      // row by row: a progress line per row; batched (all rows at once): a line per phase
      let progress: Progress | undefined;
      const onRow = (): void => (progress ??= createProgress('probe', end - start)).tick();
      const onPhase = (phase: string, seconds: number): void => log.info(`batched probe: ${phase} done at ${seconds.toFixed(2)} s`);
      const where = { file: pipelineFile, field: 'probe.eta' };
      const ids = Int32Array.from(union, (row) => dataset.ids[row]);
      const columnIds = Int32Array.from(columns, (u) => ids[u]);
      const similarity: Record<ProbeKind, (p: ProbeResult) => Float64Array> = { relative: relativeSimilarity, kernelized: kernelizedSimilarity };
      const blockRows = matrixRowsWithin(config.memoryMb, {
        // per entry: the changes, each similarity and the products' work arrays (float64); fixed: the inputs (the data set's and the stage's copy) and every example's features
        columns: columns.length, bytesPerEntry: 8 * (3 + config.kinds.length), fixedBytes: 2 * N * d * 4 + (net ? featureMemoryBytes(net, N, products) : 0),
      }, { file: pipelineFile, field: 'probe.memoryMb' });
      // block_rows: the record batches of the whole matrix's file, which merging shards re-creates
      const header = (kind: ProbeKind) => ({
        kind, columnIds,
        extra: {
          loss: info.loss, eta_schedule: config.eta === 'authors' ? 'authors' : 'fixed', method, mode: config.mode, from: config.from,
          probed: config.probed, measured: config.measured, model: info.model, [ROW_TOTAL_KEY]: String(total), [BLOCK_ROWS_KEY]: String(blockRows),
        },
      });
      // rows whose change no step of the authors' search shows in float32 (chooseEta)
      const invisibleIds: number[] = [];
      const reportInvisible = (): void => {
        if (invisibleIds.length === 0) return;
        const shown = invisibleIds.slice(0, 10).join(', ') + (invisibleIds.length > 10 ? ', ...' : '');
        log.warn(`${invisibleIds.length} of ${rowsToProbe.length} probed examples (ids ${shown}) sit within float32's resolution of where their step pushes them (a sigmoid output of 1 in float32): no step of the authors' search below ${AUTHORS_ETA_LIMIT} shows their change, and the authors' code would stop; they take its first step, eta ${AUTHORS_ETA_START} (the change is computed exactly, so their similarities are defined)`);
      };
      /** Probes the given rows (reset mode) or the stage's rows (online: every step from the first). */
      const probeRows = async (part: number[], phases: boolean): Promise<ProbeResult> => {
        const examples = online ? ex : { ...ex, rows: part };
        const result = net && method === 'fast'
          ? (await fastNetProbe(net, examples, info.loss, config.eta, { mode: config.mode, products, onRow, onPhase: phases ? onPhase : undefined, where, precisionRows: rowsToProbe.length })).result
          : await genericProbe(model, examples, info.loss, config.eta, { inputShape, mode: config.mode, onRow, where });
        checkRows(result, ids, config.kinds, { pipelineFile, modelJson });
        for (const r of result.invisibleRows) invisibleIds.push(ids[result.rows[r]]);
        return result;
      };
      const rowsToProbe = ex.rows.slice(online ? start : 0);
      const blocked = blockRows < rowsToProbe.length;
      if (blocked && (online || method !== 'fast')) {
        throw new ElasticityError(`the ${method === 'fast' ? 'online' : 'generic'} probe holds all ${rowsToProbe.length} rows x ${columns.length} columns, over the budget: raise probe.memoryMb, or split the rows with probe.shards`, { file: pipelineFile, field: 'probe.memoryMb' });
      }
      try {
        if (!blocked) {
          const result = await probeRows(rowsToProbe, true);
          log.info(`probed in ${((performance.now() - started) / 1000).toFixed(2)} s; eta ${Math.min(...result.eta)}..${Math.max(...result.eta)}`);
          reportInvisible();
          const rowIds = Int32Array.from(result.rows, (u) => ids[u]);
          for (const kind of config.kinds) {
            await writeMatrixFile(join(dir, `${kind}.arrow`), { ...header(kind), rowIds, values: similarity[kind](result), eta: result.eta }, meta);
          }
          return;
        }
        const blocks = Math.ceil(rowsToProbe.length / blockRows);
        log.info(`${rowsToProbe.length} rows in ${blocks} blocks of up to ${blockRows} rows (probe.memoryMb ${config.memoryMb})`);
        let [low, high] = [Infinity, -Infinity];
        const outputs = config.kinds.map((kind) => ({ file: join(dir, `${kind}.arrow`), header: header(kind) }));
        await writeMatrixBlocks(outputs, meta, rowsToProbe.length, blockRows, async (from, to) => {
          const result = await probeRows(rowsToProbe.slice(from, to), false);
          const rowIds = Int32Array.from(result.rows, (u) => ids[u]);
          [low, high] = [Math.min(low, ...result.eta), Math.max(high, ...result.eta)];
          return config.kinds.map((kind) => ({ rowIds, values: similarity[kind](result), eta: result.eta }));
        });
        log.info(`probed in ${((performance.now() - started) / 1000).toFixed(2)} s; eta ${low}..${high}`);
        reportInvisible();
      } finally {
        progress?.stop();
        model.dispose();
      }
    },
  );
}

/** A row whose step is 0 (l' = 0) or whose change at the probed example is 0 has no similarity. */
function checkRows(p: ProbeResult, ids: Int32Array, kinds: ProbeKind[], files: { pipelineFile: string; modelJson: string }): void {
  p.rows.forEach((i, r) => {
    const slope = p.lossSlope[r];
    if (!Number.isFinite(slope) || slope === 0) {
      throw new ElasticityError(`l' = dL/df is ${slope} at example id ${ids[i]}: the step is 0 and its similarities are undefined`, { file: files.modelJson, field: 'loss' });
    }
    if (kinds.includes('relative') && p.self[r] === 0) {
      throw new ElasticityError(`the change at example id ${ids[i]} itself is 0 at eta ${p.eta[r]} (float32 lost it): use a larger eta or "authors"`, { file: files.pipelineFile, field: 'probe.eta' });
    }
    for (let c = 0; c < p.n; c++) {
      if (!Number.isFinite(p.delta[r * p.n + c])) {
        throw new ElasticityError(`the change at example id ${ids[p.columns[c]]} after the step at id ${ids[i]} is not finite (eta ${p.eta[r]} too large?)`, { file: files.pipelineFile, field: 'probe.eta' });
      }
    }
  });
}

/** Joins probe row shards (runProbe with rows) into exactly the files an unsharded runProbe writes (same bytes). */
export async function mergeProbeShards(options: ShardMergeOptions): Promise<void> {
  await mergeMatrixShards({ stage: 'probe', shardDirs: options.shardDirs, outDir: options.outDir });
}
