import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { primaryIndices, runStage, writeDatasetFile, writeMatrixBlocks, writeMatrixFile } from '@elasticity/core';
import type { Dataset, ExampleMatrix, Role, StageMeta } from '@elasticity/core';
import { parseIngestConfig } from './config.ts';
import type { ImageIngestConfig, SyntheticIngestConfig } from './config.ts';
import { className, classNames } from './classes.ts';
import { findMnistFiles, readMnistFolder } from './readers/mnist-idx.ts';
import { findCifar10Files, readCifar10Folder } from './readers/cifar10.ts';
import { mnistSampleDir, mnistSampleFiles, readMnistSample } from './readers/mnist-sample.ts';
import { joinSplits } from './readers/image-split.ts';
import type { ImageSource } from './readers/image-split.ts';
import { selectExamples, selectedRows } from './select.ts';
import { generateSynthetic } from './synthetic/generate.ts';
import { geodesicDistance } from './synthetic/shapes.ts';
import type { SyntheticShape } from './synthetic/shapes.ts';

export const DATASET_FILE = 'dataset.arrow';
export const TEST_FILE = 'test.arrow';
/** Geodesic distances between the primary (label-1) points of a synthetic data set. */
export const GEODESIC_FILE = 'geodesic.arrow';

export interface IngestOptions {
  /** The pipeline's `dataset` section. */
  config: unknown;
  /** The pipeline file, for error messages. */
  pipelineFile: string;
  /** Output folder (data/NAME/ingest); replaced as a whole on success. */
  outDir: string;
}

/** The display name written into the metadata, e.g. "mnist-sample 4v9 | 5,7", "mnist-sample (train + test) 3v8 | 5". */
export function datasetName(config: ImageIngestConfig): string {
  const named = classNames(config.source) !== undefined;
  const show = (c: number) => className(config.source, c);
  const pool = config.split === 'all' ? ' (train + test)' : '';
  return `${config.source}${pool} ${config.primary.map(show).join(named ? ' v ' : 'v')} | ${config.auxiliary.map(show).join(',')}`;
}

/** Finds the raw files (so they can be hashed) and returns a reader for them. Relative paths resolve against the working directory. */
function locateImageSource(config: ImageIngestConfig): { folder: string; files: string[]; read: () => Promise<ImageSource> } {
  if (config.source === 'mnist-sample') {
    const folder = mnistSampleDir();
    return { folder, files: mnistSampleFiles(folder), read: () => readMnistSample(folder) };
  }
  const folder = resolve(config.path!);
  if (config.source === 'cifar10') {
    const files = findCifar10Files(folder);
    return { folder, files: files.test ? [...files.train, files.test] : files.train, read: () => readCifar10Folder(folder, files) };
  }
  const files = findMnistFiles(folder);
  const list = [files.trainImages, files.trainLabels, ...(files.testImages ? [files.testImages, files.testLabels!] : [])];
  return { folder, files: list, read: () => readMnistFolder(folder, files) };
}

/** The synthetic data set as rows in draw order (draw i: row 2i label 1 / primary, row 2i + 1 label 0 / auxiliary); no scaling. */
export function syntheticDataset(config: SyntheticIngestConfig): Dataset {
  const { shape, points } = config.synthetic;
  const data = generateSynthetic(shape, points, config.seed);
  const n = data.count;
  const target = new Float32Array(n);
  const classes = new Int16Array(n);
  const roles = new Array<Role>(n);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = i;
    target[i] = data.labels[i];
    classes[i] = data.labels[i];
    roles[i] = data.labels[i] === 1 ? 'primary' : 'auxiliary';
  }
  return {
    name: `synthetic ${shape} (${points} draws)`,
    inputShape: [data.dim],
    scaling: 'none',
    ids,
    x: Float32Array.from(data.x),
    d: data.dim,
    target,
    classes,
    roles,
    coord: data.coord,
    coordDim: data.coordDim,
  };
}

/**
 * Geodesic distances on the label-1 manifold between every pair of primary
 * (label-1) points, rows and columns in dataset order: the matrix the
 * similarity-vs-geodesic analysis compares against (method.md section 6).
 */
export function syntheticGeodesics(shape: SyntheticShape, ds: Dataset): ExampleMatrix {
  const { ids } = geodesicHeader(ds);
  return { kind: 'geodesic', rowIds: ids, columnIds: ids, values: syntheticGeodesicRows(shape, ds, 0, ids.length), extra: { shape, label: '1' } };
}

/** The primary points' ids (rows and columns of the geodesic matrix), in dataset order. */
function geodesicHeader(ds: Dataset): { rows: number[]; ids: Int32Array } {
  if (!ds.coord || !ds.coordDim) throw new Error(`${ds.name}: no intrinsic coordinates`);
  const rows = primaryIndices(ds);
  return { rows, ids: Int32Array.from(rows, (r) => ds.ids[r]) };
}

/** Rows [from, to) of the geodesic matrix; each distance computed from the pair in dataset order, so every block agrees with the whole matrix and it is exactly symmetric. */
function syntheticGeodesicRows(shape: SyntheticShape, ds: Dataset, from: number, to: number): Float64Array {
  const k = ds.coordDim!;
  const { rows } = geodesicHeader(ds);
  const n = rows.length;
  const coordOf = (r: number) => ds.coord!.subarray(r * k, (r + 1) * k);
  const values = new Float64Array((to - from) * n);
  for (let a = from; a < to; a++) {
    const ca = coordOf(rows[a]);
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      values[(a - from) * n + b] = b > a ? geodesicDistance(shape, ca, coordOf(rows[b]), 1) : geodesicDistance(shape, coordOf(rows[b]), ca, 1);
    }
  }
  return values;
}

/** Geodesic matrices larger than this are computed and written in blocks of rows of about this size. */
const GEODESIC_BLOCK_BYTES = 256 * 2 ** 20;

/** Writes the geodesic matrix: whole when it is small, else in row blocks (one record batch each), so memory stays bounded whatever the number of points. */
export async function writeSyntheticGeodesics(
  file: string, shape: SyntheticShape, ds: Dataset, meta: Omit<StageMeta, 'schemaVersion' | 'extra'>, blockBytes = GEODESIC_BLOCK_BYTES,
): Promise<number> {
  const { ids } = geodesicHeader(ds);
  const n = ids.length;
  const blockRows = Math.max(1, Math.floor(blockBytes / (8 * n)));
  if (blockRows >= n) {
    await writeMatrixFile(file, syntheticGeodesics(shape, ds), meta);
    return n;
  }
  await writeMatrixBlocks([{ file, header: { kind: 'geodesic', columnIds: ids, extra: { shape, label: '1' } } }], meta, n, blockRows,
    (from, to) => [{ rowIds: ids.subarray(from, to), values: syntheticGeodesicRows(shape, ds, from, to) }]);
  return n;
}

/**
 * The ingest stage: reads the configured source, selects the examples
 * (method.md section 3), and writes dataset.arrow (and test.arrow when the
 * source has a test split and testPerClass > 0) into `outDir`. Synthetic
 * sources also get geodesic.arrow (syntheticGeodesics). On failure
 * no output folder is left.
 */
export async function runIngest(options: IngestOptions): Promise<{ datasetFile: string; testFile?: string; geodesicFile?: string }> {
  const { pipelineFile, outDir } = options;
  let config: ReturnType<typeof parseIngestConfig>;
  let located: ReturnType<typeof locateImageSource> | undefined;
  try {
    config = parseIngestConfig(options.config, pipelineFile);
    if (config.source !== 'synthetic') located = locateImageSource(config);
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  const request = { stage: 'ingest', outDir, params: { ...config }, seed: config.seed, inputFiles: located?.files ?? [] };
  return runStage(request, async ({ dir, meta, log }) => {
    const datasetFile = join(outDir, DATASET_FILE);
    if (config.source === 'synthetic') {
      const ds = syntheticDataset(config);
      await writeDatasetFile(join(dir, DATASET_FILE), ds, meta);
      const primary = await writeSyntheticGeodesics(join(dir, GEODESIC_FILE), config.synthetic.shape, ds, meta);
      log.info(`${ds.name}: ${ds.ids.length} points in ${ds.d}-d, coord ${ds.coordDim}-d; geodesic distances of ${primary} primary points`);
      return { datasetFile, geodesicFile: join(outDir, GEODESIC_FILE) };
    }
    const started = performance.now();
    const source = await located!.read();
    log.info(`read ${config.source}: ${source.train.count} train${source.test ? ` + ${source.test.count} test` : ''} examples in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const name = datasetName(config);
    const common = {
      primary: config.primary,
      auxiliary: config.auxiliary,
      file: located!.folder,
      describe: (c: number) => className(config.source, c),
    };
    // "all": the train and test splits as one pool; the held-out examples come after the selected ones
    const pooled = config.split === 'all' && source.test ? joinSplits(source.train, source.test) : undefined;
    const trainOptions = {
      ...common,
      name,
      perClass: config.perClass,
      auxiliaryCount: config.auxiliaryCount,
      seed: config.seed,
      perClassField: 'dataset.perClass',
      auxiliaryField: 'dataset.auxiliaryCount',
      splitName: pooled ? 'train + test' : 'train',
    };
    const train = selectExamples(pooled ?? source.train, trainOptions);
    let test: Dataset | undefined;
    if (config.testPerClass > 0) {
      const heldOut = {
        ...common,
        name: `${name} (test)`,
        perClass: config.testPerClass,
        auxiliaryCount: config.primary.length * config.testPerClass,
        seed: (config.seed + 1) | 0,
        perClassField: 'dataset.testPerClass',
        auxiliaryField: 'dataset.testPerClass',
      };
      if (pooled) {
        const taken = selectedRows(pooled, trainOptions);
        test = selectExamples(pooled, { ...heldOut, splitName: 'train + test', exclude: new Set([...taken.primary, ...taken.auxiliary]) });
      } else if (!source.test) {
        log.warn(`${config.source} has no test split in ${located!.folder}: no ${TEST_FILE} written`);
      } else {
        test = selectExamples(source.test, { ...heldOut, splitName: 'test' });
      }
    }
    await writeDatasetFile(join(dir, DATASET_FILE), train, meta);
    if (test) await writeDatasetFile(join(dir, TEST_FILE), test, meta);
    log.info(`${name}: ${train.ids.length} examples (${config.primary.length * config.perClass} primary, ${config.auxiliaryCount} auxiliary)${test ? `, test ${test.ids.length}` : ''}`);
    return test ? { datasetFile, testFile: join(outDir, TEST_FILE) } : { datasetFile };
  });
}
