import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  ElasticityError, MODEL_JSON, MODEL_WEIGHTS, checkModelTrainedOn, initBackend, loadModelDir, matrixRowsWithin, primaryIndices, readDatasetFile, readMatrixFile, runStage,
  symmetrizeInPlace, writeFeaturesFile, writeMatrixFile, writeNeighboursFile,
} from '@elasticity/core';
import type { Dataset, FeatureRows, Logger } from '@elasticity/core';
import { rawFeatures } from './baselines/raw.ts';
import { pcaFeatures } from './baselines/pca.ts';
import { readUserFeatures } from './baselines/feature-file.ts';
import { parseSimilarityConfig, parseSimilarityName } from './similarity-config.ts';
import type { SimilarityConfig, SimilaritySource } from './similarity-config.ts';
import { assertOverIds } from './symmetrize-matrix.ts';
import { normalizeKernel } from './normalize-kernel.ts';
import { elasticNeighbours } from './elastic-neighbours.ts';
import { seconds } from './source-plan.ts';
import type { SourcePlan, StageWrite } from './source-plan.ts';
import { BLOCK_BYTES_PER_ENTRY, writeSourceInBlocks } from './source-in-blocks.ts';

export interface SimilarityOptions {
  /** The pipeline's `similarity` section. */
  config: unknown;
  pipelineFile: string;
  datasetFile: string;
  /** Folder with relative.arrow / kernelized.arrow (probe stage output). */
  probeDir?: string;
  /** Folder with ntk.arrow and ntk-infinite.arrow (ntk stage output). */
  ntkDir?: string;
  /** The train stage's output folder, holding model/ and init/ (for activation-cosine). */
  modelDir?: string;
  outDir: string;
}

const OPTION_OF: Record<SimilaritySource, { option: keyof SimilarityOptions; stage: string }> = {
  'relative': { option: 'probeDir', stage: 'probe' },
  'kernelized': { option: 'probeDir', stage: 'probe' },
  'ntk': { option: 'ntkDir', stage: 'ntk' },
  'ntk-infinite': { option: 'ntkDir', stage: 'ntk' },
  'activation-cosine': { option: 'modelDir', stage: 'train' },
};

/**
 * The sources named in `use` and, when neighbours.k > 0, in neighbours.of
 * (each once, in order of first mention) and their files; throws naming the
 * option when a folder was not given.
 */
function planSources(config: SimilarityConfig, options: SimilarityOptions): SourcePlan[] {
  const plans: SourcePlan[] = [];
  const named = config.use.map((name, index) => ({ name: name as string, ...parseSimilarityName(name), field: `similarity.use[${index}]`, neighbours: false }));
  if (config.neighbours.k > 0) {
    config.neighbours.of.forEach((source, index) => named.push({ name: source, source, normalized: false, field: `similarity.neighbours.of[${index}]`, neighbours: true }));
  }
  for (const { name, source, normalized, field, neighbours } of named) {
    let plan = plans.find((p) => p.source === source);
    if (!plan) {
      const { option, stage } = OPTION_OF[source];
      const dir = options[option] as string | undefined;
      if (dir === undefined) {
        throw new ElasticityError(`"${name}" needs the ${option} option (the ${stage} stage output folder)`, { file: options.pipelineFile, field });
      }
      let file: string, inputs: string[];
      if (source === 'activation-cosine') {
        const sub = join(dir, config.activationFrom === 'init' ? 'init' : 'model');
        file = join(sub, MODEL_JSON);
        inputs = [file, join(sub, MODEL_WEIGHTS)];
      } else {
        file = join(dir, `${source}.arrow`);
        inputs = [file];
      }
      plan = { source, field, plain: false, normalized: false, neighbours: false, file, inputs };
      plans.push(plan);
    }
    if (neighbours) plan.neighbours = true;
    else if (normalized) plan.normalized = true;
    else plan.plain = true;
  }
  return plans;
}

/** Throws naming the file and the pipeline field when `file` is missing; `fix` says what to do (run a stage first, correct a path). */
async function assertExists(file: string, what: string, field: string, fix: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new ElasticityError(`${what} not found (named in ${field}); ${fix}`, { file, field });
  }
}

/** Primary example rows of the data set, in dataset order. */
function primaryRows(dataset: Dataset): { ids: Int32Array; x: Float32Array } {
  const rows = primaryIndices(dataset);
  const d = dataset.d;
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => x.set(dataset.x.subarray(r * d, (r + 1) * d), i * d));
  return { ids: Int32Array.from(rows, (r) => dataset.ids[r]), x };
}

/**
 * The matrix of one source over the primary examples, with the metadata to
 * write: symmetrised, and before that its probe rows ranked into
 * neighbours-<source>.arrow when the plan asks for them.
 */
async function sourceMatrix(plan: SourcePlan, dataset: Dataset, primary: { ids: Int32Array; x: Float32Array }, context: StageWrite): Promise<{ values: Float64Array; extra: Record<string, string> }> {
  const { log } = context;
  if (plan.source === 'activation-cosine') {
    // Imported here: it needs TensorFlow.js, which the other sources do not load.
    const { patternCosine, reluPatterns } = await import('./activation-patterns.ts');
    await initBackend();
    const { model, info } = await loadModelDir(dirname(plan.file));
    try {
      const patterns = reluPatterns(model, primary.x, primary.ids.length, dataset.d, { file: plan.file });
      const silent = patterns.active.reduce((s, a) => s + (a === 0 ? 1 : 0), 0);
      if (silent > 0) log.warn(`activation-cosine: ${silent} examples have no active ReLU unit (similarity 0 to all others)`);
      log.info(`activation-cosine: ${patterns.units} ReLU units of ${info.model}, mean ${(patterns.active.reduce((s, a) => s + a, 0) / primary.ids.length).toFixed(1)} active`);
      return { values: patternCosine(patterns), extra: { model: info.model, units: String(patterns.units) } };
    } finally {
      model.dispose();
    }
  }
  const { matrix } = await readMatrixFile(plan.file);
  assertOverIds(matrix, primary.ids, plan.file);
  if (matrix.kind !== plan.source) log.warn(`${plan.file}: kind "${matrix.kind}" written as "${plan.source}"`);
  if (plan.neighbours) await writeNeighbours(plan, matrix.values, primary.ids, context);
  if (!plan.plain && !plan.normalized) return { values: matrix.values, extra: {} };
  // The values are this process's own copy of the file's bytes: symmetrised in place, no second n x n array.
  return { values: symmetrizeInPlace(matrix.values, primary.ids.length), extra: { ...(matrix.extra ?? {}), source: matrix.kind } };
}

/** neighbours-<source>.arrow from the unsymmetrised probe rows (one step at row i, its effect at each column). */
async function writeNeighbours(plan: SourcePlan, values: Float64Array, ids: Int32Array, { dir, meta, log, config, pipelineFile }: StageWrite): Promise<void> {
  const started = performance.now();
  const { k } = config.neighbours;
  const neighbours = elasticNeighbours(values, ids, k, plan.source, { file: pipelineFile, field: 'similarity.neighbours.k' });
  await writeNeighboursFile(join(dir, `neighbours-${plan.source}.arrow`), neighbours, meta);
  log.info(`neighbours-${plan.source}: ${k} most and ${k} least moved of each of ${ids.length} examples in ${seconds(started)} s`);
}

/**
 * Rows of a source matrix the stage may hold at once within
 * similarity.memoryMb (the data set's examples and the neighbours held
 * beside them); at least n means the matrix is read whole.
 */
function sourceRowsWithin(dataset: Dataset, n: number, context: StageWrite): number {
  const { config, pipelineFile } = context;
  const neighbourBytes = config.neighbours.k > 0 ? n * 2 * config.neighbours.k * 12 : 0;
  return matrixRowsWithin(config.memoryMb, { columns: n, bytesPerEntry: BLOCK_BYTES_PER_ENTRY, fixedBytes: dataset.x.byteLength + neighbourBytes }, { file: pipelineFile, field: 'similarity.memoryMb' });
}

async function writeMatrices(plan: SourcePlan, dataset: Dataset, primary: { ids: Int32Array; x: Float32Array }, context: StageWrite): Promise<void> {
  const { dir, meta, log } = context;
  const started = performance.now();
  const n = primary.ids.length;
  if (plan.source !== 'activation-cosine') {
    const blockRows = sourceRowsWithin(dataset, n, context);
    if (blockRows < n) {
      await writeSourceInBlocks(plan, primary.ids, blockRows, context);
      return;
    }
  }
  const { values, extra } = await sourceMatrix(plan, dataset, primary, context);
  if (!plan.plain && !plan.normalized) return;
  const write = (kind: string, v: Float64Array, more: Record<string, string>) =>
    writeMatrixFile(join(dir, `${kind}.arrow`), { kind, rowIds: primary.ids, columnIds: primary.ids, values: v, extra: { ...extra, symmetrized: 'true', ...more } }, meta);
  if (plan.plain) await write(plan.source, values, {});
  if (plan.normalized) {
    // In place when the plain matrix is already written.
    const normalized = normalizeKernel(values, n, { file: plan.file, field: 'row' }, plan.plain ? values : undefined);
    await write(`${plan.source}-normalized`, normalized, { normalized: 'true' });
  }
  log.info(`${plan.source}${plan.normalized ? (plan.plain ? ' (+ normalised)' : ' (normalised)') : ''}: ${n} x ${n} in ${seconds(started)} s`);
}

async function autoencoderFeatures(dataset: Dataset, config: SimilarityConfig, datasetFile: string, primary: { ids: Int32Array; x: Float32Array }, log: Logger): Promise<FeatureRows> {
  // Imported here: it needs TensorFlow.js, which the other baselines do not load.
  const { imageShape, toChannelsLast, trainAutoencoder } = await import('./baselines/autoencoder.ts');
  const shape = imageShape(dataset.inputShape, { file: datasetFile, field: 'input_shape' });
  const backend = await initBackend();
  const options = config.autoencoder;
  const all = options.trainOn === 'all';
  const nTrain = all ? dataset.ids.length : primary.ids.length;
  log.info(`autoencoder: training on ${nTrain} examples (${options.trainOn}), ${options.epochs} epochs, batch ${options.batchSize}, backend ${backend}`);
  const train = toChannelsLast(all ? dataset.x : primary.x, nTrain, shape);
  const encode = all ? toChannelsLast(primary.x, primary.ids.length, shape) : train;
  const result = trainAutoencoder(train, nTrain, encode, primary.ids.length, shape, { ...options, log });
  log.info(`autoencoder: reconstruction loss ${result.initialLoss.toExponential(3)} -> ${result.losses[result.losses.length - 1].toExponential(3)}`);
  return { kind: 'autoencoder', ids: primary.ids, values: result.codes, dim: result.dim };
}

/**
 * The similarity stage, over the primary examples in dataset order: writes
 * each matrix named in `use` symmetrised ((S + S^T) / 2; "<kernel>-normalized"
 * also divided by sqrt(K_ii K_jj)), the baseline features (raw, PCA,
 * autoencoder codes) and the user's feature files, one <name>.arrow each,
 * and with neighbours.k > 0 the elastic neighbours of each probe matrix in
 * neighbours.of (its unsymmetrised rows), neighbours-<name>.arrow.
 */
export async function runSimilarity(options: SimilarityOptions): Promise<void> {
  const config = parseSimilarityConfig(options.config, options.pipelineFile);
  const plans = planSources(config, options);
  for (const plan of plans) {
    const what = plan.source === 'activation-cosine' ? 'model for "activation-cosine"' : `input matrix for "${plan.source}"`;
    for (const file of plan.inputs) await assertExists(file, what, plan.field, 'run the stage that writes it first');
    if (plan.source === 'activation-cosine') await checkModelTrainedOn(dirname(plan.file), options.datasetFile);
  }
  const featureFiles = Object.entries(config.features).map(([name, path]) => ({ name, file: resolve(dirname(options.pipelineFile), path) }));
  for (const { name, file } of featureFiles) {
    await assertExists(file, `feature file "${name}"`, `similarity.features.${name}`, 'correct the path (relative paths start at the pipeline file\'s folder)');
  }
  const inputFiles = [options.datasetFile, ...plans.flatMap((p) => p.inputs), ...featureFiles.map((f) => f.file)];
  const seed = config.baselines.includes('autoencoder') ? config.autoencoder.seed : null;
  await runStage(
    { stage: 'similarity', outDir: options.outDir, params: { ...config }, seed, inputFiles },
    async ({ dir, meta, log }) => {
      const { dataset } = await readDatasetFile(options.datasetFile);
      const primary = primaryRows(dataset);
      if (primary.ids.length === 0) throw new ElasticityError('data set has no primary examples', { file: options.datasetFile, field: 'role' });
      log.info(`${primary.ids.length} primary examples`);

      const context: StageWrite = { dir, meta, log, config, pipelineFile: options.pipelineFile };
      for (const plan of plans) await writeMatrices(plan, dataset, primary, context);

      if (config.baselines.length > 0) {
        const raw = rawFeatures(dataset);
        for (const name of config.baselines) {
          const started = performance.now();
          const features = name === 'raw' ? raw
            : name === 'pca' ? pcaFeatures(raw, config.pcaComponents)
              : await autoencoderFeatures(dataset, config, options.datasetFile, primary, log);
          await writeFeaturesFile(join(dir, `${name}.arrow`), features, meta);
          log.info(`${name}: ${features.ids.length} x ${features.dim} features in ${seconds(started)} s`);
        }
      }
      for (const { name, file } of featureFiles) {
        const features = await readUserFeatures(file, primary.ids, name);
        await writeFeaturesFile(join(dir, `${name}.arrow`), features, meta);
        log.info(`${name}: ${features.ids.length} x ${features.dim} features from ${file}`);
      }
    },
  );
}
