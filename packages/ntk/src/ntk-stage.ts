import { join } from 'node:path';
import {
  check, ElasticityError, initBackend, inspectDenseMlp, loadModelDir, MODEL_JSON, MODEL_WEIGHTS, primaryIndices,
  readDatasetFile, runStage, writeMatrixFile,
} from '@elasticity/core';
import { mlpNtk } from './mlp-ntk.ts';
import { parseNtkConfig } from './ntk-config.ts';

export interface RunNtkOptions {
  /** The pipeline's `ntk` section. */
  config: unknown;
  pipelineFile: string;
  datasetFile: string;
  /** The train stage's output folder, holding model/ (trained) and init/ (initial weights). */
  modelDir: string;
  outDir: string;
}

/**
 * The ntk stage: the empirical NTK of the model over the primary examples
 * (dataset order), on the model's output (p for a sigmoid output), written
 * to ntk.arrow (kind 'ntk'). Closed form for the 2-layer MLP family.
 */
export async function runNtk(options: RunNtkOptions): Promise<void> {
  const { pipelineFile, datasetFile, outDir } = options;
  const config = parseNtkConfig(options.config, pipelineFile);
  await initBackend();
  const { dataset } = await readDatasetFile(datasetFile);
  const primary = primaryIndices(dataset);
  check(primary.length > 0, 'has no primary examples', { file: datasetFile, field: 'role' });
  const modelSub = join(options.modelDir, config.from === 'init' ? 'init' : 'model');
  const modelJson = join(modelSub, MODEL_JSON);
  const { model, info } = await loadModelDir(modelSub);
  const inspected = inspectDenseMlp(model);
  model.dispose();
  if ('reason' in inspected) {
    throw new ElasticityError(
      `the empirical NTK is implemented in closed form for 2-layer MLPs only, and ${modelJson} is not one: ${inspected.reason}`,
      { file: pipelineFile, field: 'ntk.kind' },
    );
  }
  const mlp = inspected.mlp;
  const d = dataset.d;
  if (mlp.d !== d) throw new ElasticityError(`examples have ${d} values, the model takes ${mlp.d}`, { file: datasetFile, field: 'x' });
  const n = primary.length;
  const x = new Float32Array(n * d);
  const ids = new Int32Array(n);
  primary.forEach((row, j) => {
    x.set(dataset.x.subarray(row * d, (row + 1) * d), j * d);
    ids[j] = dataset.ids[row];
  });
  await runStage(
    { stage: 'ntk', outDir, params: { ...config }, seed: null, inputFiles: [datasetFile, modelJson, join(modelSub, MODEL_WEIGHTS)] },
    async ({ dir, meta, log }) => {
      const started = performance.now();
      const values = mlpNtk(mlp, x, n);
      if (!values.every(Number.isFinite)) throw new ElasticityError('the NTK has non-finite entries (weights or inputs not finite?)', { file: modelJson, field: 'weights' });
      log.info(`empirical NTK of ${info.model} (${mlp.hidden} hidden, H = ${mlp.h}) over ${n} primary examples in ${((performance.now() - started) / 1000).toFixed(2)} s`);
      await writeMatrixFile(join(dir, 'ntk.arrow'), {
        kind: 'ntk', rowIds: ids, columnIds: ids, values,
        extra: { loss: info.loss, from: config.from, model: info.model, output: mlp.sigmoidOutput ? 'sigmoid' : 'linear' },
      }, meta);
    },
  );
}
