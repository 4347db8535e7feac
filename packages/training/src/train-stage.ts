import { join } from 'node:path';
import { ElasticityError, initBackend, readDatasetFile, runStage, saveModelDir, writeTrainingMetricsFile } from '@elasticity/core';
import type { ModelInfo } from '@elasticity/core';
import { initPyTorchDefault } from './init.ts';
import { getModelSpec } from './models/zoo.ts';
import { parseTrainConfig } from './train-config.ts';
import { trainModel } from './train.ts';
import type { TrainData } from './train.ts';

export interface RunTrainOptions {
  /** The pipeline's `train` section (validated by parseTrainConfig). */
  config: unknown;
  /** The pipeline file, named by configuration errors. */
  pipelineFile: string;
  /** dataset.arrow of the ingest stage: every row (primary and auxiliary) is trained on, label `target`. */
  datasetFile: string;
  /** Optional held-out dataset.arrow; its accuracy goes into metrics.arrow (else -1). */
  testFile?: string;
  outDir: string;
}

/** Output layout of the train stage inside outDir. */
export const TRAIN_OUTPUTS = { init: 'init', model: 'model', metrics: 'metrics.arrow' } as const;

/**
 * The train stage: builds the configured zoo model for the dataset's input
 * shape, initialises it as PyTorch does (seeded), saves those weights to
 * init/, trains with plain SGD on all rows (Algorithm 1, step 2), saves the
 * trained model to model/ and the per-epoch metrics to metrics.arrow.
 */
export async function runTrain(options: RunTrainOptions): Promise<void> {
  const config = parseTrainConfig(options.config, options.pipelineFile);
  const backend = await initBackend(config.backend);
  const inputFiles = options.testFile ? [options.datasetFile, options.testFile] : [options.datasetFile];
  await runStage({ stage: 'train', outDir: options.outDir, params: config, seed: config.seed, inputFiles }, async ({ dir, meta, log }) => {
    const { dataset } = await readDatasetFile(options.datasetFile);
    let test: TrainData | undefined;
    if (options.testFile) {
      const held = (await readDatasetFile(options.testFile)).dataset;
      if (held.d !== dataset.d) {
        throw new ElasticityError(`rows have ${held.d} values, the training set ${dataset.d}`, { file: options.testFile, field: 'x' });
      }
      test = { x: held.x, d: held.d, y: held.target };
    }
    const spec = getModelSpec(config.model, { file: options.pipelineFile, field: 'train.model' });
    const model = spec.build({ inputShape: dataset.inputShape, width: config.width });
    try {
      initPyTorchDefault(model, config.seed);
      const info: ModelInfo = {
        model: spec.name, loss: config.loss, sigmoidOutput: spec.sigmoidOutput, width: config.width,
        activation: spec.activation, inputShape: dataset.inputShape, lr: config.lr, epochs: config.epochs,
        batch: config.batch, seed: config.seed, backend,
      };
      await saveModelDir(model, join(dir, TRAIN_OUTPUTS.init), { ...info, epochsTrained: 0 });
      const primary = dataset.roles.filter((r) => r === 'primary').length;
      log.info(`${spec.name} (width ${config.width}, ${model.countParams()} parameters, ${config.loss}) on ${dataset.target.length} examples `
        + `(${primary} primary, ${dataset.target.length - primary} auxiliary) of dimension ${dataset.d}, backend ${backend}; `
        + `SGD lr ${config.lr}, batch ${config.batch}, ${config.epochs} epochs`);
      const records = trainModel(model, { x: dataset.x, d: dataset.d, y: dataset.target }, {
        loss: config.loss, lr: config.lr, batch: config.batch, epochs: config.epochs, seed: config.seed, test, file: options.pipelineFile, log,
      });
      await saveModelDir(model, join(dir, TRAIN_OUTPUTS.model), { ...info, epochsTrained: config.epochs });
      await writeTrainingMetricsFile(join(dir, TRAIN_OUTPUTS.metrics), records, {
        ...meta, extra: { model: spec.name, loss: config.loss, backend },
      });
      const last = records[records.length - 1];
      log.info(`final loss ${last.loss.toPrecision(4)}, train accuracy ${last.trainAccuracy.toFixed(4)}`
        + `${test ? `, test accuracy ${last.testAccuracy.toFixed(4)}` : ''}; ${records.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s training`);
    } finally {
      model.dispose();
    }
  });
}
