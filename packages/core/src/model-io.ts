import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkpointEpoch, modelFromFolder } from './model-from.ts';
import type { ModelFrom } from './model-from.ts';
import { initBackend } from './backend.ts';
import type { tf } from './tf.ts';
import { ElasticityError } from './errors.ts';
import { sha256File } from './hash.ts';
import { writeFilesAtomic } from './fs/atomic.ts';
import { readInputFile, readJsonFile } from './fs/read.ts';

export const MODEL_JSON = 'model.json';
export const MODEL_WEIGHTS = 'weights.bin';

/**
 * What a trained model carries besides its layers: enough for a later stage
 * to know how it was trained (the loss decides l' in a probe).
 */
export interface ModelInfo {
  /** Zoo name, e.g. "MLPNet". */
  model: string;
  loss: 'mse' | 'bce';
  /** Whether the network's last layer applies a sigmoid (BCE models). */
  sigmoidOutput: boolean;
  /** The data set the train stage trained on (its path as read, relative to the working directory, and SHA-256); see checkModelTrainedOn. */
  trainedOn?: { dataset: string; sha256: string };
  [key: string]: unknown;
}

/**
 * Saves a LayersModel in TensorFlow.js's file format (model.json +
 * weights.bin, readable by tf.loadLayersModel) into `dir`, atomically.
 */
export async function saveModelDir(model: tf.LayersModel, dir: string, info: ModelInfo): Promise<void> {
  const { tf } = await import('./tf.ts');
  let files: Record<string, Uint8Array | string> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0)
        : Array.isArray(artifacts.weightData) ? tf.io.concatenateArrayBuffers(artifacts.weightData) : artifacts.weightData;
      const json = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${MODEL_WEIGHTS}`], weights: artifacts.weightSpecs }],
        userDefinedMetadata: { elasticity: info },
      };
      files = { [MODEL_JSON]: JSON.stringify(json), [MODEL_WEIGHTS]: new Uint8Array(weightData) };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  await writeFilesAtomic(dir, files);
}

interface ModelJson {
  modelTopology?: object;
  weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  userDefinedMetadata?: { elasticity?: ModelInfo };
}

/** Reads model.json and the training info the train stage put in it. */
async function readModelJson(dir: string): Promise<{ json: ModelJson; info: ModelInfo; jsonFile: string }> {
  const jsonFile = join(dir, MODEL_JSON);
  const json = (await readJsonFile(jsonFile)) as ModelJson;
  const info = json?.userDefinedMetadata?.elasticity;
  if (!info || (info.loss !== 'mse' && info.loss !== 'bce')) {
    throw new ElasticityError('missing training info (loss) written by the train stage', { file: jsonFile, field: 'userDefinedMetadata.elasticity' });
  }
  return { json, info, jsonFile };
}

/** Reads only the training info of a saved model (no TensorFlow.js needed). */
export async function readModelInfo(dir: string): Promise<ModelInfo> {
  return (await readModelJson(dir)).info;
}

/** Loads a model saved by saveModelDir (or any single-shard LayersModel folder). */
export async function loadModelDir(dir: string): Promise<{ model: tf.LayersModel; info: ModelInfo }> {
  const { json, info, jsonFile } = await readModelJson(dir);
  await initBackend(); // no-op once a backend is chosen
  if (!json.modelTopology || !Array.isArray(json.weightsManifest) || json.weightsManifest.length !== 1) {
    throw new ElasticityError('not a TensorFlow.js LayersModel file with one weights group', { file: jsonFile, field: 'weightsManifest' });
  }
  const group = json.weightsManifest[0];
  const weightsFile = join(dir, group.paths[0] ?? MODEL_WEIGHTS);
  const bytes = await readInputFile(weightsFile);
  const expected = group.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.byteLength !== expected) {
    throw new ElasticityError(`has ${bytes.byteLength} bytes, the manifest needs ${expected}`, { file: weightsFile, field: 'weights' });
  }
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { tf } = await import('./tf.ts');
  try {
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }));
    return { model, info };
  } catch (cause) {
    throw new ElasticityError(`cannot build the model (${(cause as Error).message})`, { file: jsonFile, field: 'modelTopology', cause });
  }
}

const TRAINED_ON_FIELD = 'userDefinedMetadata.elasticity.trainedOn';

/** ModelInfo.trainedOn of a model trained on `datasetFile`: its path relative to the working directory, and its SHA-256. */
export async function trainedOnRecord(datasetFile: string): Promise<{ dataset: string; sha256: string }> {
  return { dataset: relative(process.cwd(), datasetFile), sha256: await sha256File(datasetFile) };
}

/**
 * Refuses to use a model on a data set it was not trained on: the model's
 * recorded trainedOn.sha256 must be the SHA-256 of `datasetFile` now. Every
 * stage that reads a model together with a data set (probe, ntk, similarity)
 * calls this before using either; the error is one line naming both files.
 * `modelDir` is a folder written by saveModelDir (model/, init/, a checkpoint).
 */
export async function checkModelTrainedOn(modelDir: string, datasetFile: string): Promise<void> {
  const { info, jsonFile } = await readModelJson(modelDir);
  const dataset = relative(process.cwd(), datasetFile);
  const recorded = info.trainedOn;
  if (recorded === undefined || typeof recorded.sha256 !== 'string' || typeof recorded.dataset !== 'string') {
    throw new ElasticityError(`records no data set it was trained on, so it cannot be checked against ${dataset}: re-run the train stage`, { file: jsonFile, field: TRAINED_ON_FIELD });
  }
  const now = await sha256File(datasetFile);
  if (recorded.sha256 === now) return;
  const hashes = `recorded SHA-256 ${recorded.sha256.slice(0, 12)}…, now ${now.slice(0, 12)}…`;
  throw new ElasticityError(
    recorded.dataset === dataset
      ? `was trained on another version of ${dataset} (${hashes}): re-run the train stage`
      : `was trained on ${recorded.dataset}, not on ${dataset} (${hashes}): re-run the train stage on ${dataset}`,
    { file: jsonFile, field: TRAINED_ON_FIELD },
  );
}

/**
 * The model of a train stage's output folder `trainDir` as a stage that
 * reads it with the data set (probe, ntk) loads it: model/ (the trained
 * weights), init/ (the initial ones) or a checkpoint (checkpoints/epoch-K/),
 * refused unless it was trained on `datasetFile` (checkModelTrainedOn). With
 * its two files, the stage's inputs. `where` (the pipeline file and the
 * section key that chose `from`) is named by the error for a checkpoint the
 * training did not save.
 */
export async function loadTrainedModel(
  trainDir: string, from: ModelFrom, datasetFile: string, where: { file?: string; field?: string } = {},
): Promise<{ model: tf.LayersModel; info: ModelInfo; modelJson: string; modelWeights: string }> {
  const dir = join(trainDir, modelFromFolder(from));
  if (checkpointEpoch(from) !== undefined && !existsSync(join(dir, MODEL_JSON))) {
    throw new ElasticityError(`the train stage saved no checkpoint after epoch ${checkpointEpoch(from)} (${dir} is missing): list the epoch in train.checkpoints`, where);
  }
  await checkModelTrainedOn(dir, datasetFile);
  const { model, info } = await loadModelDir(dir);
  return { model, info, modelJson: join(dir, MODEL_JSON), modelWeights: join(dir, MODEL_WEIGHTS) };
}

/** The shape of one input of `model` (without the batch axis); throws unless it holds the `d` values of an example of `datasetFile`. */
export function modelInputShape(model: tf.LayersModel, d: number, datasetFile: string): number[] {
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  if (inputShape.reduce((a, b) => a * b, 1) !== d) {
    throw new ElasticityError(`examples have ${d} values, the model takes input shape ${JSON.stringify(inputShape)}`, { file: datasetFile, field: 'x' });
  }
  return inputShape;
}
