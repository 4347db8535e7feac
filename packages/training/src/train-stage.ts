import { join } from 'node:path';
import { checkpointFolder, ElasticityError, initBackend, readDatasetFile, runStage, saveModelDir, trainedOnRecord, writeTrainingMetricsFile } from '@elasticity/core';
import type { ModelInfo } from '@elasticity/core';
import { initPyTorchDefault } from './init.ts';
import { getModelSpec } from './models/zoo.ts';
import { autoWorkers, parseTrainConfig } from './train-config.ts';
import { trainModel } from './train.ts';
import type { TrainData } from './train.ts';
import { twoLayerShapeOf } from './two-layer-model.ts';
import { resolveShardKernel } from './open-two-layer-shard.ts';

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
export const TRAIN_OUTPUTS = { init: 'init', model: 'model', metrics: 'metrics.arrow', checkpoints: 'checkpoints' } as const;

/** Folder of the checkpoint after `epoch` inside a train output folder: checkpoints/epoch-<epoch> (core's checkpointFolder, which probe and ntk read). */
export function checkpointDir(outDir: string, epoch: number): string {
  return join(outDir, checkpointFolder(epoch));
}

/**
 * The train stage: builds the configured zoo model for the dataset's input
 * shape, initialises it as PyTorch does (seeded), saves those weights to
 * init/, trains with plain SGD on all rows (Algorithm 1, step 2), saving
 * the model every checkpointEvery epochs and after each epoch listed in
 * checkpoints to checkpoints/epoch-<k>/ (epoch 0: the initial weights), and
 * saves the trained model to model/ and the per-epoch metrics to
 * metrics.arrow. All models are LayersModel folders (core saveModelDir)
 * whose ModelInfo carries { model, loss, sigmoidOutput, width, activation,
 * inputShape, lr, epochs, batch, seed, backend, kernel, workers, preset, trainedOn,
 * epochsTrained }; trainedOn (the data set's path and SHA-256) lets later
 * stages refuse the model on other data (core checkModelTrainedOn). Wall
 * times (per epoch and in all) go to the log and the stage's timings file,
 * never into an output: the same training gives the same bytes.
 */
export async function runTrain(options: RunTrainOptions): Promise<void> {
  const config = parseTrainConfig(options.config, options.pipelineFile);
  const backend = await initBackend(config.backend);
  const inputFiles = options.testFile ? [options.datasetFile, options.testFile] : [options.datasetFile];
  await runStage({ stage: 'train', outDir: options.outDir, params: config, seed: config.seed, inputFiles }, async ({ dir, meta, log, timings }) => {
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
    let model;
    try {
      model = spec.build({ inputShape: dataset.inputShape, width: config.width });
    } catch (error) {
      if (error instanceof ElasticityError) throw new ElasticityError(error.message.replace(/^.*?train\.model: /, ''), { file: options.pipelineFile, field: 'train.model', cause: error });
      throw error;
    }
    try {
      initPyTorchDefault(model, config.seed);
      const n = dataset.target.length;
      const batch = config.batch === 'full' ? n : config.batch;
      const shape = twoLayerShapeOf(model);
      if (!shape && config.kernel === 'onnx') {
        throw new ElasticityError(`the onnx kernel trains the 2-layer MLPs (MLPNet, MLPProb, MLPLinear, MLPLinearProb, MLPNetSigmoid), not ${spec.name}: use "auto" or "tfjs"`, { file: options.pipelineFile, field: 'train.kernel' });
      }
      let kernel: 'onnx' | 'tfjs';
      try {
        kernel = shape ? await resolveShardKernel(config.kernel) : 'tfjs';
      } catch (error) {
        throw new ElasticityError((error as Error).message, { file: options.pipelineFile, field: 'train.kernel', cause: error });
      }
      const workers = config.workers === 'auto'
        ? autoWorkers({ twoLayer: shape !== undefined, firstLayerWeights: shape ? shape.d * shape.H : 0, params: model.countParams(), batch, backend, kernel })
        : config.workers;
      const info: ModelInfo = {
        model: spec.name, loss: config.loss, sigmoidOutput: spec.sigmoidOutput, width: spec.usesWidth ? config.width : 0,
        activation: spec.activation, inputShape: dataset.inputShape, lr: config.lr, epochs: config.epochs,
        batch, seed: config.seed, backend, kernel, workers, preset: config.preset,
        trainedOn: await trainedOnRecord(options.datasetFile),
      };
      await saveModelDir(model, join(dir, TRAIN_OUTPUTS.init), { ...info, epochsTrained: 0 });
      if (config.checkpoints.includes(0)) await saveModelDir(model, checkpointDir(dir, 0), { ...info, epochsTrained: 0 });
      const primary = dataset.roles.filter((r) => r === 'primary').length;
      log.info(`${spec.name} (width ${info.width}, ${model.countParams()} parameters, ${config.loss}) on ${n} examples `
        + `(${primary} primary, ${n - primary} auxiliary) of dimension ${dataset.d}, backend ${backend}, kernel ${kernel}, ${workers} worker${workers > 1 ? 's' : ''}; `
        + `SGD lr ${config.lr}, batch ${batch}, ${config.epochs} epochs${config.preset !== 'none' ? ` (preset ${config.preset})` : ''}`);
      const records = await trainModel(model, { x: dataset.x, d: dataset.d, y: dataset.target }, {
        loss: config.loss, lr: config.lr, batch, epochs: config.epochs, seed: config.seed, workers, kernel, test, file: options.pipelineFile, log,
        checkpointEvery: config.checkpointEvery,
        checkpoints: config.checkpoints,
        onCheckpoint: async (epoch, trained) => {
          await saveModelDir(trained, checkpointDir(dir, epoch), { ...info, epochsTrained: epoch });
          log.info(`checkpoint after epoch ${epoch} -> ${TRAIN_OUTPUTS.checkpoints}/epoch-${epoch}`);
        },
      });
      await saveModelDir(model, join(dir, TRAIN_OUTPUTS.model), { ...info, epochsTrained: config.epochs });
      await writeTrainingMetricsFile(join(dir, TRAIN_OUTPUTS.metrics), records, {
        ...meta, extra: { model: spec.name, loss: config.loss, backend, kernel, workers: String(workers) },
      });
      const trainingSeconds = records.reduce((s, r) => s + r.seconds, 0);
      Object.assign(timings, { trainingSeconds, epochSeconds: records.map((r) => r.seconds) });
      const last = records[records.length - 1];
      log.info(`final loss ${last.loss.toPrecision(4)}, train accuracy ${last.trainAccuracy.toFixed(4)}`
        + `${test ? `, test accuracy ${last.testAccuracy.toFixed(4)}` : ''}; ${trainingSeconds.toFixed(1)} s training`);
    } finally {
      model.dispose();
    }
  });
}
