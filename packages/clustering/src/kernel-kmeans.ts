import { createRng } from '@elasticity/core';
import { checkSymmetric } from './check-symmetric.ts';
import type { ClusteringResult, RestartOptions } from './clustering-result.ts';
import { memoryRows } from './matrix-rows.ts';
import type { RowSource, Rows } from './matrix-rows.ts';
import { runSharingPasses } from './shared-passes.ts';

export interface KernelKmeansOptions extends RestartOptions {
  /** Largest allowed |K_ij - K_ji| relative to max(|K_ij|, |K_ji|). Default 1e-6. */
  symmetryTolerance?: number;
  /** Skip the symmetry check (the caller already checked this matrix, e.g. once for several seeds). */
  assumeChecked?: boolean;
  /** Where the kernel came from, for error messages. */
  file?: string;
  field?: string;
}

const KERNEL_NAMES = { noun: 'kernel', symbol: 'K', neededBy: 'kernel K-means needs a symmetric matrix' };

/** What checkKernel returns: the kernel's diagonal, and its entries that are not positive. */
export interface CheckedKernel {
  diagonal: Float64Array;
  nonPositive: { index: number; value: number }[];
}

/**
 * Throws an ElasticityError unless the kernel is finite and symmetric within
 * a relative tolerance. Returns its diagonal, and the diagonal entries that
 * are not positive: a kernel's diagonal is a squared norm, but a similarity
 * measured by float32 forward differences (the generic probe at the authors'
 * eta) can get the sign of a tiny change wrong at a row whose loss slope is
 * near 0. Kernel K-means stays well defined (feature-space distances are
 * clamped at 0), so the caller warns instead of failing.
 */
export async function checkKernelRows(kernel: RowSource, tolerance: number, where: { file?: string; field?: string } = {}): Promise<CheckedKernel> {
  const { diagonal } = await checkSymmetric(kernel, tolerance, KERNEL_NAMES, where);
  const nonPositive: { index: number; value: number }[] = [];
  diagonal.forEach((d, index) => {
    if (!(d > 0)) nonPositive.push({ index, value: d });
  });
  return { diagonal, nonPositive };
}

/** checkKernelRows of an n x n kernel in memory: the diagonal entries that are not positive. */
export async function checkKernel(kernel: Float64Array, n: number, tolerance: number, where: { file?: string; field?: string } = {}): Promise<CheckedKernel['nonPositive']> {
  return (await checkKernelRows(memoryRows(kernel, n, n), tolerance, where)).nonPositive;
}

/** Squared feature-space distance between example i (row `at` of its block) and example p: K_ii - 2 K_ip + K_pp. */
function pointDistance(block: Float64Array, at: number, n: number, diagonal: Float64Array, i: number, p: number): number {
  return Math.max(0, diagonal[i] - 2 * block[at * n + p] + diagonal[p]);
}

/** The random numbers of one restart's k-means++ start: its first centre, and one uniform draw per further centre. */
interface StartDraws {
  first: number;
  uniforms: number[];
}

/**
 * The draws of every restart of one clustering, in the order one seeded
 * generator gives them (restart after restart): they depend on nothing
 * else, so the restarts can run together.
 */
function startDraws(seed: number, restarts: number, n: number, k: number): StartDraws[] {
  const rng = createRng(seed);
  return Array.from({ length: restarts }, () => ({ first: rng.int(0, n - 1), uniforms: Array.from({ length: k - 1 }, () => rng.next()) }));
}

/**
 * k-means++ in feature space: the first centre is a uniform random example,
 * each next one is drawn with probability proportional to its squared kernel
 * distance to the nearest centre chosen so far (when every example
 * coincides with a centre, a uniform one not chosen yet). One pass per
 * centre but the last; returns the centre examples.
 */
async function kmeansPlusPlusCentres(rows: Rows, k: number, diagonal: Float64Array, draws: StartDraws): Promise<number[]> {
  const { n } = rows;
  const centres = [draws.first];
  const nearest = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    const latest = centres[c - 1];
    await rows.pass((block, from, to) => {
      for (let i = from; i < to; i++) nearest[i] = Math.min(nearest[i], pointDistance(block, i - from, n, diagonal, i, latest));
    });
    let total = 0;
    for (let i = 0; i < n; i++) total += nearest[i];
    let next = -1;
    if (total > 0) {
      let r = draws.uniforms[c - 1] * total;
      for (let i = 0; i < n; i++) {
        if (nearest[i] <= 0) continue;
        next = i;
        r -= nearest[i];
        if (r < 0) break;
      }
    } else {
      const free = Array.from({ length: n }, (_, i) => i).filter((i) => !centres.includes(i));
      next = free[Math.floor(draws.uniforms[c - 1] * free.length)];
    }
    centres.push(next);
  }
  return centres;
}

/**
 * Moves points into empty clusters: each empty cluster takes the point
 * farthest from its own cluster (`ownDistance`), from clusters with more
 * than one point. `ownDistance` is updated (the moved point gets 0).
 */
function fillEmptyClusters(assign: Int32Array, k: number, ownDistance: Float64Array): void {
  const sizes = new Int32Array(k);
  for (const c of assign) sizes[c]++;
  for (let c = 0; c < k; c++) {
    if (sizes[c] > 0) continue;
    let far = -1;
    for (let i = 0; i < assign.length; i++) {
      if (sizes[assign[i]] > 1 && (far < 0 || ownDistance[i] > ownDistance[far])) far = i;
    }
    sizes[assign[far]]--;
    assign[far] = c;
    sizes[c]++;
    ownDistance[far] = 0;
  }
}

/** Work arrays for one kernel K-means run. */
interface Workspace {
  /** sums[i * k + c] = sum over j in cluster c of K_ij. */
  sums: Float64Array;
  sizes: Float64Array;
  /** intra[c] = sum over j, l in c of K_jl. */
  intra: Float64Array;
}

function sizesAndIntra(n: number, k: number, assign: Int32Array, ws: Workspace): void {
  ws.sizes.fill(0);
  ws.intra.fill(0);
  for (let i = 0; i < n; i++) {
    ws.sizes[assign[i]]++;
    ws.intra[assign[i]] += ws.sums[i * k + assign[i]];
  }
}

/** The workspace of a partition from scratch: one pass, n^2 work. */
async function clusterSums(rows: Rows, k: number, assign: Int32Array, ws: Workspace): Promise<void> {
  const { n } = rows;
  const { sums } = ws;
  sums.fill(0);
  await rows.pass((block, from, to) => {
    for (let i = from; i < to; i++) rowClusterSums(block, (i - from) * n, n, k, assign, sums, i * k);
  });
  sizesAndIntra(n, k, assign, ws);
}

/**
 * sums[out + c] = sum over j in cluster c of row[at + j], each cluster's sum
 * added in j order from 0 (the same bits however it is computed). For two
 * clusters, without branches or stores in the loop: each value goes to its
 * cluster as v * a and v - v * a (a = 0 or 1), which add exactly v and an
 * exact zero (a sum is never -0: it starts at +0 and x + (-x) is +0).
 */
function rowClusterSums(row: Float64Array, at: number, n: number, k: number, assign: Int32Array, sums: Float64Array, out: number): void {
  if (k === 2) {
    let s0 = 0, s1 = 0;
    for (let j = 0; j < n; j++) {
      const v = row[at + j], w = v * assign[j];
      s1 += w;
      s0 += v - w;
    }
    sums[out] = s0;
    sums[out + 1] = s1;
    return;
  }
  for (let j = 0; j < n; j++) sums[out + assign[j]] += row[at + j];
}

/**
 * Brings the workspace from partition `before` to `after`: for each example
 * that moved (in order), subtracts its kernel row from its old cluster's
 * sums and adds it to the new one (2 n work per moved example, using
 * K_ji = K_ij); when more than a third of the examples moved, recomputes
 * from scratch (n^2). One pass either way.
 */
async function updateClusterSums(rows: Rows, k: number, before: Int32Array, after: Int32Array, ws: Workspace): Promise<void> {
  const { n } = rows;
  const movers: number[] = [];
  for (let i = 0; i < n; i++) if (before[i] !== after[i]) movers.push(i);
  if (movers.length * 3 > n) {
    await clusterSums(rows, k, after, ws);
    return;
  }
  const { sums } = ws;
  let next = 0;
  await rows.pass((block, from, to) => {
    for (; next < movers.length && movers[next] < to; next++) {
      const i = movers[next], from_ = before[i], to_ = after[i], row = (i - from) * n;
      for (let j = 0; j < n; j++) {
        const v = block[row + j];
        sums[j * k + from_] -= v;
        sums[j * k + to_] += v;
      }
    }
  });
  sizesAndIntra(n, k, after, ws);
}

/** ||phi(x_i) - m_c||^2 = K_ii - 2/|c| sum_{j in c} K_ij + 1/|c|^2 sum_{j,l in c} K_jl. */
function centreDistance(diagonal: Float64Array, k: number, i: number, c: number, ws: Workspace): number {
  const size = ws.sizes[c];
  return diagonal[i] - (2 * ws.sums[i * k + c]) / size + ws.intra[c] / (size * size);
}

/** Sum over clusters of sum_{i in c} ||phi(x_i) - m_c||^2 = trace(K) - sum_c intra_c / |c|. */
function objectiveOf(diagonal: Float64Array, k: number, ws: Workspace): number {
  let total = 0;
  for (const d of diagonal) total += d;
  for (let c = 0; c < k; c++) if (ws.sizes[c] > 0) total -= ws.intra[c] / ws.sizes[c];
  return total;
}

/** One kernel K-means run from a k-means++ start: Lloyd iterations until no point moves, one pass over the kernel each. */
async function singleRun(rows: Rows, k: number, diagonal: Float64Array, draws: StartDraws, maxIterations: number): Promise<Omit<ClusteringResult, 'restart'>> {
  const { n } = rows;
  const centres = await kmeansPlusPlusCentres(rows, k, diagonal, draws);
  const assign = new Int32Array(n);
  const own = new Float64Array(n);
  await rows.pass((block, from, to) => {
    for (let i = from; i < to; i++) {
      let best = 0, bestD = Infinity;
      centres.forEach((p, c) => {
        const d = pointDistance(block, i - from, n, diagonal, i, p);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      });
      assign[i] = best;
      own[i] = bestD;
    }
  });
  fillEmptyClusters(assign, k, own);

  const ws: Workspace = { sums: new Float64Array(n * k), sizes: new Float64Array(k), intra: new Float64Array(k) };
  const previous = new Int32Array(n);
  let iterations = 0;
  let converged = false;
  await clusterSums(rows, k, assign, ws);
  while (iterations < maxIterations) {
    iterations++;
    previous.set(assign);
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const current = assign[i];
      let best = current;
      let bestD = centreDistance(diagonal, k, i, current, ws);
      own[i] = bestD;
      for (let c = 0; c < k; c++) {
        if (c === current) continue;
        const d = centreDistance(diagonal, k, i, c, ws);
        // Strictly closer only: ties keep the current cluster, so the iteration cannot cycle on ties.
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (best !== current) {
        assign[i] = best;
        own[i] = bestD;
        moved++;
      }
    }
    if (moved === 0) {
      converged = true;
      break;
    }
    fillEmptyClusters(assign, k, own);
    await updateClusterSums(rows, k, previous, assign, ws);
  }
  await clusterSums(rows, k, assign, ws);
  return { clusters: assign, objective: objectiveOf(diagonal, k, ws), iterations, converged };
}

/**
 * Kernel K-means (Dhillon, Guan & Kulis 2004) of a kernel read in passes,
 * once per seed: each clustering runs `restarts` seeded k-means++
 * initialisations and keeps the partition with the lowest within-cluster
 * sum of squared feature-space distances. Every restart of every seed runs
 * together, sharing the passes over the kernel (runSharingPasses), so a
 * kernel in a file is read about k + 2 + (iterations of the slowest
 * restart) times. `diagonal` is the kernel's (from checkKernel).
 */
export async function kernelKmeansSeeds(kernel: RowSource, k: number, diagonal: Float64Array, seeds: number[], options: Omit<RestartOptions, 'seed'>): Promise<ClusteringResult[]> {
  const { restarts = 10, maxIterations = 300 } = options;
  const { n } = kernel;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be an integer in 1..${n}`);
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError('restarts must be at least 1');
  const starts = seeds.map((seed) => startDraws(seed, restarts, n, k));
  const runs = await runSharingPasses(kernel, starts.flat().map((draws) => (rows: Rows) => singleRun(rows, k, diagonal, draws, maxIterations)));
  return seeds.map((_, s) => {
    let best: ClusteringResult | undefined;
    for (let restart = 0; restart < restarts; restart++) {
      const run = runs[s * restarts + restart];
      if (best === undefined || run.objective < best.objective) best = { ...run, restart };
    }
    return best!;
  });
}

/** Kernel K-means of an n x n kernel in memory, with one seed (checked first, unless assumeChecked: symmetric within symmetryTolerance, default 1e-6). */
export async function kernelKmeans(kernel: Float64Array, n: number, k: number, options: KernelKmeansOptions): Promise<ClusteringResult> {
  const { seed, symmetryTolerance = 1e-6, assumeChecked = false, file, field } = options;
  const rows = memoryRows(kernel, n, n);
  const diagonal = assumeChecked ? Float64Array.from({ length: n }, (_, i) => kernel[i * n + i]) : (await checkKernelRows(rows, symmetryTolerance, { file, field })).diagonal;
  return (await kernelKmeansSeeds(rows, k, diagonal, [seed], options))[0];
}
