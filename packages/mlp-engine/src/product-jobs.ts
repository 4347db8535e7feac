import { gemmTile, transposeColumns } from './float32-blocks.ts';
import type { KMajorLeft, SupportMap } from './float32-blocks.ts';
import type { Float32MatMul } from './float32-kernel.ts';
import { runLayerTile } from './layer-tile.ts';
import type { LayerTileJob } from './layer-tile.ts';

type Vec = Float32Array | Float64Array;

/** C[r0:r1, c0:c1] += A B (see gemmTile); A row-major or k-major, bt is B k-major (k x n). */
export interface GemmJob {
  kind: 'gemm';
  a: Vec | KMajorLeft;
  bt: Vec;
  out: Float64Array;
  r0: number;
  r1: number;
  c0: number;
  c1: number;
  k: number;
  n: number;
  blockK: number;
  map?: SupportMap;
  /** The k's to sum over (see gemmTile). */
  kRows?: Int32Array;
}

/** Columns [p0, p1) of the row-major m x k `src` into the k-major float32 `dst`. */
export interface TransposeJob {
  kind: 'transpose';
  src: Vec;
  dst: Float32Array;
  m: number;
  k: number;
  p0: number;
  p1: number;
}

/**
 * One unit of work of the float32 product pool. Jobs are plain objects of
 * typed arrays: posted to a worker, arrays in shared memory are shared, not
 * copied (the large ones must be), small ones are copied.
 */
export type ProductJob = GemmJob | TransposeJob | LayerTileJob;

/** Runs one job; a layer tile returns its list of entries near 0 (when asked for). */
export async function runJob(matMul: Float32MatMul, job: ProductJob): Promise<Float64Array | undefined> {
  if (job.kind === 'gemm') await gemmTile(matMul, job.a, job.bt, job.r0, job.r1, job.c0, job.c1, job.k, job.n, job.blockK, job.out, job.map, job.kRows);
  else if (job.kind === 'transpose') transposeColumns(job.src, job.m, job.k, job.p0, job.p1, job.dst);
  else return runLayerTile(matMul, job);
  return undefined;
}
