import { join } from 'node:path';
import {
  check, createProgress, ElasticityError, initBackend, inspectDenseMlp, loadModelDir, MODEL_JSON, MODEL_WEIGHTS,
  primaryIndices, readDatasetFile, runStage, writeMatrixFile,
} from '@elasticity/core';
import type { DenseMlp } from '@elasticity/core';
import { fastMlpProbe } from './fast-mlp-probe.ts';
import { genericProbe } from './generic-probe.ts';
import { parseProbeConfig } from './probe-config.ts';
import type { ProbeKind } from './probe-config.ts';
import { kernelizedSimilarity, relativeSimilarity } from './probe-result.ts';
import type { ProbeResult } from './probe-result.ts';

export interface RunProbeOptions {
  /** The pipeline's `probe` section. */
  config: unknown;
  pipelineFile: string;
  datasetFile: string;
  /** The train stage's output folder, holding model/ (trained) and init/ (initial weights). */
  modelDir: string;
  outDir: string;
  /** Probe only primary examples [start, end) (a row shard); every primary example is still measured. */
  rows?: [number, number];
}

/**
 * The probe stage. For each probed primary example x_i (dataset order), one
 * SGD step at (x_i, target_i) from the same weights w* (reset before every
 * probe), and the change delta_i(x_j) = f(x_j; w+) - f(x_j; w*) at every
 * primary x_j. Writes
 * - relative.arrow:   S_rel(x_i, x_j) = |delta_i(x_j)| / |delta_i(x_i)|
 * - kernelized.arrow: S_ker(x_i, x_j) = -delta_i(x_j) / (eta l'_i)
 * with the eta of each row. Matrices are not symmetrised here.
 *
 * Note on the authors' code: for squared loss it divides the change by
 * 2 eta (-(f_i - y_i)), exactly S_ker above; for BCE it divides by 2 eta and
 * by -(p - y)/(p (1 - p)), i.e. it computes S_ker / 2. A constant factor
 * changes no clustering; this stage writes the clean S_ker.
 */
export async function runProbe(options: RunProbeOptions): Promise<void> {
  const { pipelineFile, datasetFile, outDir } = options;
  const config = parseProbeConfig(options.config, pipelineFile);
  await initBackend();
  const { dataset } = await readDatasetFile(datasetFile);
  const primary = primaryIndices(dataset);
  check(primary.length > 0, 'has no primary examples to probe', { file: datasetFile, field: 'role' });
  const [start, end] = options.rows ?? [0, primary.length];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > primary.length || start >= end) {
    throw new ElasticityError(`row range [${start}, ${end}) is not a non-empty range within the ${primary.length} primary examples`, { field: 'rows' });
  }

  const modelSub = join(options.modelDir, config.from === 'init' ? 'init' : 'model');
  const modelJson = join(modelSub, MODEL_JSON);
  const { model, info } = await loadModelDir(modelSub);
  const inspected = inspectDenseMlp(model);
  const mlp: DenseMlp | undefined = 'mlp' in inspected ? inspected.mlp : undefined;
  if (config.method === 'fast' && !mlp) {
    throw new ElasticityError(`method "fast" needs a 2-layer MLP, but ${modelJson} is not one: ${'reason' in inspected ? inspected.reason : ''} (use "generic" or "auto")`, { file: pipelineFile, field: 'probe.method' });
  }
  const method = config.method === 'generic' || !mlp ? 'generic' : 'fast';
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const d = dataset.d;
  if (inputShape.reduce((a, b) => a * b, 1) !== d) {
    throw new ElasticityError(`examples have ${d} values, the model takes input shape ${JSON.stringify(inputShape)}`, { file: datasetFile, field: 'x' });
  }
  const sigmoidOutput = mlp ? mlp.sigmoidOutput : info.sigmoidOutput;
  if (mlp && mlp.sigmoidOutput !== info.sigmoidOutput) {
    throw new ElasticityError(`says sigmoidOutput ${info.sigmoidOutput}, but the layers ${mlp.sigmoidOutput ? 'end' : 'do not end'} in a sigmoid`, { file: modelJson, field: 'userDefinedMetadata.elasticity.sigmoidOutput' });
  }
  if (info.loss === 'bce' && !sigmoidOutput) {
    throw new ElasticityError('loss "bce" needs a sigmoid output', { file: modelJson, field: 'userDefinedMetadata.elasticity.loss' });
  }

  const n = primary.length;
  const x = new Float32Array(n * d);
  const targets = new Float32Array(n);
  const ids = new Int32Array(n);
  primary.forEach((row, j) => {
    x.set(dataset.x.subarray(row * d, (row + 1) * d), j * d);
    targets[j] = dataset.target[row];
    ids[j] = dataset.ids[row];
  });
  const rows = Array.from({ length: end - start }, (_, r) => start + r);

  await runStage(
    {
      stage: 'probe', outDir, params: { ...config, rows: options.rows ?? null }, seed: null,
      inputFiles: [datasetFile, modelJson, join(modelSub, MODEL_WEIGHTS)],
    },
    async ({ dir, meta, log }) => {
      log.info(`${method} probe of ${rows.length} of ${n} primary examples (rows ${start}..${end - 1}), ${info.model} ${info.loss}, from ${config.from}, eta ${config.eta}`);
      const started = performance.now();
      const progress = createProgress('probe', rows.length);
      const ex = { x, n, targets, rows };
      const where = { file: pipelineFile, field: 'probe.eta' };
      let result: ProbeResult;
      try {
        result = mlp && method === 'fast'
          ? fastMlpProbe(mlp, ex, info.loss, config.eta, { onRow: () => progress.tick(), where })
          : await genericProbe(model, ex, info.loss, config.eta, { inputShape, onRow: () => progress.tick(), where });
      } finally {
        progress.stop();
        model.dispose();
      }
      log.info(`probed in ${((performance.now() - started) / 1000).toFixed(2)} s; eta ${Math.min(...result.eta)}..${Math.max(...result.eta)}`);
      checkRows(result, ids, config.kinds, { pipelineFile, modelJson });

      const similarity: Record<ProbeKind, (p: ProbeResult) => Float64Array> = { relative: relativeSimilarity, kernelized: kernelizedSimilarity };
      const rowIds = Int32Array.from(rows, (r) => ids[r]);
      for (const kind of config.kinds) {
        await writeMatrixFile(join(dir, `${kind}.arrow`), {
          kind, rowIds, columnIds: ids, values: similarity[kind](result), eta: result.eta,
          extra: { loss: info.loss, eta_schedule: config.eta === 'authors' ? 'authors' : 'fixed', method, from: config.from, model: info.model },
        }, meta);
      }
    },
  );
}

/** A row whose step is 0 (l' = 0) or whose change at the probed example is 0 has no similarity. */
function checkRows(p: ProbeResult, ids: Int32Array, kinds: ProbeKind[], files: { pipelineFile: string; modelJson: string }): void {
  p.rows.forEach((i, r) => {
    const slope = p.lossSlope[r];
    if (!Number.isFinite(slope) || slope === 0) {
      throw new ElasticityError(`l' = dL/df is ${slope} at primary example id ${ids[i]}: the step is 0 and its similarities are undefined`, { file: files.modelJson, field: 'loss' });
    }
    if (kinds.includes('relative') && p.delta[r * p.n + i] === 0) {
      throw new ElasticityError(`the change at primary example id ${ids[i]} itself is 0 at eta ${p.eta[r]} (float32 lost it): use a larger eta or "authors"`, { file: files.pipelineFile, field: 'probe.eta' });
    }
    for (let j = 0; j < p.n; j++) {
      if (!Number.isFinite(p.delta[r * p.n + j])) {
        throw new ElasticityError(`the change at example id ${ids[j]} after the step at id ${ids[i]} is not finite (eta ${p.eta[r]} too large?)`, { file: files.pipelineFile, field: 'probe.eta' });
      }
    }
  });
}
