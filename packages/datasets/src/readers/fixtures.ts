/**
 * Test helpers: build files in the real on-disk formats (IDX, CIFAR-10
 * binary) from small in-memory examples. Used only by the tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx.ts';

/** IDX bytes: big-endian magic, big-endian dims, then the body as given. */
export function idxBytes(magic: number, dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

/** Deterministic pixel bytes of example `i` (d bytes, varied values 0..255). */
export function fakePixels(i: number, d: number): Uint8Array {
  return Uint8Array.from({ length: d }, (_, j) => (i * 37 + j * 11) % 256);
}

export interface FakeSplit {
  labels: number[];
  rows?: number;
  cols?: number;
}

/** Writes an MNIST-layout folder; example i of a split has fakePixels(i + offset). */
export async function writeMnistFolder(
  dir: string,
  splits: { train: FakeSplit; test?: FakeSplit },
  options: { gzip?: boolean; testOffset?: number } = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const write = async (prefix: string, split: FakeSplit, offset: number) => {
    const rows = split.rows ?? 28;
    const cols = split.cols ?? 28;
    const n = split.labels.length;
    const body = new Uint8Array(n * rows * cols);
    for (let i = 0; i < n; i++) body.set(fakePixels(i + offset, rows * cols), i * rows * cols);
    const images = idxBytes(IDX_IMAGES_MAGIC, [n, rows, cols], body);
    const labels = idxBytes(IDX_LABELS_MAGIC, [n], Uint8Array.from(split.labels));
    const gz = options.gzip ? '.gz' : '';
    await writeFile(join(dir, `${prefix}-images-idx3-ubyte${gz}`), options.gzip ? gzipSync(images) : images);
    await writeFile(join(dir, `${prefix}-labels-idx1-ubyte${gz}`), options.gzip ? gzipSync(labels) : labels);
  };
  await write('train', splits.train, 0);
  if (splits.test) await write('t10k', splits.test, options.testOffset ?? 1000);
}

/** CIFAR-10 binary records: label byte + 3072 pixel bytes (fakePixels(offset + r)). */
export function cifarBytes(labels: number[], offset = 0): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((label, r) => {
    out[r * 3073] = label;
    out.set(fakePixels(offset + r, 3072), r * 3073 + 1);
  });
  return out;
}

/** Writes data_batch_1..5.bin (labels per batch) and optionally test_batch.bin; record offsets continue across batches. */
export async function writeCifarFolder(dir: string, batches: number[][], test?: number[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  let offset = 0;
  for (let k = 0; k < 5; k++) {
    await writeFile(join(dir, `data_batch_${k + 1}.bin`), cifarBytes(batches[k], offset));
    offset += batches[k].length;
  }
  if (test) await writeFile(join(dir, 'test_batch.bin'), cifarBytes(test, 1000));
}
