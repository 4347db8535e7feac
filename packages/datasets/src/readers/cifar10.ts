import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ElasticityError, readInputFile } from '@elasticity/core';
import type { ImageSource, ImageSplit } from './image-split.ts';

export const CIFAR10_DEFAULT_DIR = 'data/raw/cifar-10-batches-bin';
export const CIFAR10_SHAPE = [3, 32, 32];
/** One record: 1 label byte, then 3072 pixel bytes (1024 red, 1024 green, 1024 blue, rows of 32). */
export const CIFAR10_RECORD = 1 + 3 * 32 * 32;
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';

export interface CifarFiles {
  train: string[];
  test?: string;
}

/** Locates the CIFAR-10 binary batches: all five train batches are required, test_batch.bin is optional. */
export function findCifar10Files(dir: string): CifarFiles {
  if (!existsSync(dir)) throw new ElasticityError('folder not found (extract cifar-10-binary.tar.gz there or run the download command)', { file: dir, field: 'dataset.path' });
  const train = CIFAR10_TRAIN_FILES.map((name) => join(dir, name));
  for (const file of train) if (!existsSync(file)) throw new ElasticityError('CIFAR-10 train batch not found', { file, field: 'dataset.path' });
  const test = join(dir, CIFAR10_TEST_FILE);
  return { train, test: existsSync(test) ? test : undefined };
}

/** Reads one binary batch file and checks its length and labels. */
export async function readCifarBatch(file: string): Promise<Uint8Array> {
  const bytes = await readInputFile(file);
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD !== 0) {
    throw new ElasticityError(`${bytes.length} bytes is not a positive multiple of the ${CIFAR10_RECORD}-byte record (truncated?)`, { file, field: 'length' });
  }
  for (let r = 0, off = 0; off < bytes.length; r++, off += CIFAR10_RECORD) {
    if (bytes[off] > 9) throw new ElasticityError(`record ${r}: label ${bytes[off]} is not in 0..9`, { file, field: 'label' });
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** A split over several batch files, records in file order; ids from `firstId` on. */
export async function readCifarSplit(files: string[], firstId: number): Promise<ImageSplit> {
  const batches: Uint8Array[] = [];
  for (const file of files) batches.push(await readCifarBatch(file));
  const count = batches.reduce((n, b) => n + b.length / CIFAR10_RECORD, 0);
  const labels = new Uint8Array(count);
  const ids = new Int32Array(count);
  const batchOf = new Int32Array(count);
  const offsetOf = new Float64Array(count);
  let i = 0;
  batches.forEach((bytes, b) => {
    for (let off = 0; off < bytes.length; off += CIFAR10_RECORD, i++) {
      labels[i] = bytes[off];
      ids[i] = firstId + i;
      batchOf[i] = b;
      offsetOf[i] = off + 1;
    }
  });
  return {
    shape: CIFAR10_SHAPE,
    count,
    labels,
    ids,
    pixels: (k) => batches[batchOf[k]].subarray(offsetOf[k], offsetOf[k] + CIFAR10_RECORD - 1),
  };
}

/** Reads the CIFAR-10 binary version: train = data_batch_1..5 in order, test = test_batch. Ids continue from train into test. */
export async function readCifar10Folder(dir: string, files: CifarFiles = findCifar10Files(dir)): Promise<ImageSource> {
  const train = await readCifarSplit(files.train, 0);
  const test = files.test ? await readCifarSplit([files.test], train.count) : undefined;
  return { train, test, files: files.test ? [...files.train, files.test] : [...files.train] };
}
