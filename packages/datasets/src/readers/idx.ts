import { gunzipSync } from 'node:zlib';
import { ElasticityError, readInputFile } from '@elasticity/core';

/** IDX magic numbers: 0x00 0x00, element type 0x08 (unsigned byte), number of dimensions. */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/** Largest decompressed size accepted from a .gz file (guards against gzip bombs). */
const MAX_DECOMPRESSED = 2 ** 31 - 1;

export interface IdxArray {
  dims: number[];
  /** The body: product(dims) unsigned bytes, row-major. */
  data: Uint8Array;
}

/** Reads a file's bytes, gunzipping when it starts with the gzip magic 1f 8b. */
export async function readMaybeGzip(file: string): Promise<Uint8Array> {
  let bytes: Buffer = await readInputFile(file);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED });
    } catch (cause) {
      throw new ElasticityError(`corrupt gzip data (${(cause as Error).message})`, { file, field: 'gzip', cause });
    }
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Parses IDX bytes: 4-byte big-endian magic (0x0000 08 nDims), nDims
 * big-endian uint32 sizes, then exactly product(sizes) unsigned bytes.
 * The body is a view of `bytes` (no allocation from declared sizes).
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedMagic: number): IdxArray {
  const expectedDims = expectedMagic & 0xff;
  const hex = (v: number) => '0x' + v.toString(16).padStart(8, '0');
  if (bytes.length < 4) throw new ElasticityError(`file has ${bytes.length} bytes, too short for the 4-byte magic`, { file, field: 'magic' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    const what = expectedMagic === IDX_IMAGES_MAGIC ? 'IDX images (unsigned bytes, 3 dims)' : expectedMagic === IDX_LABELS_MAGIC ? 'IDX labels (unsigned bytes, 1 dim)' : 'IDX';
    if (magic >>> 8 === expectedMagic >>> 8) {
      throw new ElasticityError(`declares ${magic & 0xff} dimensions, expected ${expectedDims} for ${what}`, { file, field: 'dims' });
    }
    throw new ElasticityError(`magic ${hex(magic)} is not ${hex(expectedMagic)} (${what})`, { file, field: 'magic' });
  }
  const header = 4 + 4 * expectedDims;
  if (bytes.length < header) {
    throw new ElasticityError(`file has ${bytes.length} bytes, too short for the ${header}-byte header`, { file, field: 'dims' });
  }
  const dims: number[] = [];
  for (let k = 0; k < expectedDims; k++) dims.push(view.getUint32(4 + 4 * k, false));
  // Computed in float64: exact for any real file, and a huge product simply fails the comparison.
  const declared = dims.reduce((a, b) => a * b, 1);
  const body = bytes.length - header;
  if (declared !== body) {
    throw new ElasticityError(
      `dimensions ${dims.join(' x ')} declare ${declared} body bytes but the file has ${body}${body < declared ? ' (truncated?)' : ' (trailing data)'}`,
      { file, field: 'length' },
    );
  }
  return { dims, data: bytes.subarray(header) };
}

/** Reads an IDX file (raw or gzipped) and checks its magic. */
export async function readIdxFile(file: string, expectedMagic: number): Promise<IdxArray> {
  return parseIdx(await readMaybeGzip(file), file, expectedMagic);
}

/** Images: count x rows x cols unsigned bytes. */
export async function readIdxImages(file: string): Promise<{ count: number; rows: number; cols: number; pixels: Uint8Array }> {
  const { dims, data } = await readIdxFile(file, IDX_IMAGES_MAGIC);
  const [count, rows, cols] = dims;
  if (count === 0 || rows === 0 || cols === 0) throw new ElasticityError(`dimensions ${dims.join(' x ')} contain a zero`, { file, field: 'dims' });
  return { count, rows, cols, pixels: data };
}

/** Labels: count unsigned bytes, each checked to be below `classes`. */
export async function readIdxLabels(file: string, classes = 10): Promise<Uint8Array> {
  const { data } = await readIdxFile(file, IDX_LABELS_MAGIC);
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= classes) throw new ElasticityError(`label ${data[i]} at index ${i} is not in 0..${classes - 1}`, { file, field: 'labels' });
  }
  return data;
}
