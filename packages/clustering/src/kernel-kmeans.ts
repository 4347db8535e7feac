import { createRng } from '@elasticity/core';
import type { Rng } from '@elasticity/core';
import { checkSymmetric } from './check-symmetric.ts';
import type { ClusteringResult, RestartOptions } from './clustering-result.ts';

export interface KernelKmeansOptions extends RestartOptions {
  /** Largest allowed |K_ij - K_ji| relative to max(|K_ij|, |K_ji|). Default 1e-6. */
  symmetryTolerance?: number;
  /** Skip checkKernel (the caller already checked this matrix, e.g. once for several seeds). */
  assumeChecked?: boolean;
  /** Where the kernel came from, for error messages. */
  file?: string;
  field?: string;
}

const KERNEL_NAMES = { noun: 'kernel', symbol: 'K', neededBy: 'kernel K-means needs a symmetric matrix' };

/**
 * Throws an ElasticityError unless K (n x n, row-major) is finite and
 * symmetric within a relative tolerance. Returns the diagonal entries that
 * are not positive: a kernel's diagonal is a squared norm, but a similarity
 * measured by float32 forward differences (the generic probe at the authors'
 * eta) can get the sign of a tiny change wrong at a row whose loss slope is
 * near 0. Kernel K-means stays well defined (feature-space distances are
 * clamped at 0), so the caller warns instead of failing.
 */
export function checkKernel(kernel: Float64Array, n: number, tolerance: number, where: { file?: string; field?: string } = {}): { index: number; value: number }[] {
  checkSymmetric(kernel, n, tolerance, KERNEL_NAMES, where);
  const nonPositive: { index: number; value: number }[] = [];
  for (let i = 0; i < n; i++) {
    const d = kernel[i * n + i];
    if (!(d > 0)) nonPositive.push({ index: i, value: d });
  }
  return nonPositive;
}

/** Squared feature-space distance between examples i and j: K_ii - 2 K_ij + K_jj. */
function pointDistance(kernel: Float64Array, n: number, i: number, j: number): number {
  return Math.max(0, kernel[i * n + i] - 2 * kernel[i * n + j] + kernel[j * n + j]);
}

/**
 * k-means++ in feature space: the first centre is a uniform random example,
 * each next one is drawn with probability proportional to its squared kernel
 * distance to the nearest centre chosen so far. Returns the centre examples.
 */
function kmeansPlusPlusCentres(kernel: Float64Array, n: number, k: number, rng: Rng): number[] {
  const centres = [rng.int(0, n - 1)];
  const nearest = new Float64Array(n);
  for (let i = 0; i < n; i++) nearest[i] = pointDistance(kernel, n, i, centres[0]);
  while (centres.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) total += nearest[i];
    let next = -1;
    if (total > 0) {
      let r = rng.next() * total;
      for (let i = 0; i < n; i++) {
        if (nearest[i] <= 0) continue;
        next = i;
        r -= nearest[i];
        if (r < 0) break;
      }
    } else {
      // Every example coincides with a centre: take a random example not yet chosen.
      const free = Array.from({ length: n }, (_, i) => i).filter((i) => !centres.includes(i));
      next = free[rng.int(0, free.length - 1)];
    }
    centres.push(next);
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], pointDistance(kernel, n, i, next));
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

function clusterSums(kernel: Float64Array, n: number, k: number, assign: Int32Array, ws: Workspace): void {
  const { sums, sizes, intra } = ws;
  sums.fill(0);
  sizes.fill(0);
  intra.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * n, out = i * k;
    for (let j = 0; j < n; j++) sums[out + assign[j]] += kernel[row + j];
  }
  for (let i = 0; i < n; i++) {
    sizes[assign[i]]++;
    intra[assign[i]] += sums[i * k + assign[i]];
  }
}

/**
 * Brings the workspace from partition `before` to `after`: for each example
 * that moved, subtracts its kernel row from its old cluster's sums and adds
 * it to the new one (2 n work per moved example, using K_ji = K_ij); when
 * more than a third of the examples moved, recomputes from scratch (n^2).
 */
function updateClusterSums(kernel: Float64Array, n: number, k: number, before: Int32Array, after: Int32Array, ws: Workspace): void {
  const movers: number[] = [];
  for (let i = 0; i < n; i++) if (before[i] !== after[i]) movers.push(i);
  if (movers.length * 3 > n) {
    clusterSums(kernel, n, k, after, ws);
    return;
  }
  const { sums, sizes, intra } = ws;
  for (const i of movers) {
    const from = before[i], to = after[i], row = i * n;
    for (let j = 0; j < n; j++) {
      const v = kernel[row + j];
      sums[j * k + from] -= v;
      sums[j * k + to] += v;
    }
  }
  sizes.fill(0);
  intra.fill(0);
  for (let i = 0; i < n; i++) {
    sizes[after[i]]++;
    intra[after[i]] += sums[i * k + after[i]];
  }
}

/** ||phi(x_i) - m_c||^2 = K_ii - 2/|c| sum_{j in c} K_ij + 1/|c|^2 sum_{j,l in c} K_jl. */
function centreDistance(kernel: Float64Array, n: number, k: number, i: number, c: number, ws: Workspace): number {
  const size = ws.sizes[c];
  return kernel[i * n + i] - (2 * ws.sums[i * k + c]) / size + ws.intra[c] / (size * size);
}

/** Sum over clusters of sum_{i in c} ||phi(x_i) - m_c||^2 = trace(K) - sum_c intra_c / |c|. */
function objectiveOf(kernel: Float64Array, n: number, k: number, ws: Workspace): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += kernel[i * n + i];
  for (let c = 0; c < k; c++) if (ws.sizes[c] > 0) total -= ws.intra[c] / ws.sizes[c];
  return total;
}

/** One kernel K-means run from a k-means++ start: Lloyd iterations until no point moves. */
function singleRun(kernel: Float64Array, n: number, k: number, rng: Rng, maxIterations: number): Omit<ClusteringResult, 'restart'> {
  const centres = kmeansPlusPlusCentres(kernel, n, k, rng);
  const assign = new Int32Array(n);
  const own = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0, bestD = Infinity;
    centres.forEach((p, c) => {
      const d = pointDistance(kernel, n, i, p);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    });
    assign[i] = best;
    own[i] = bestD;
  }
  fillEmptyClusters(assign, k, own);

  const ws: Workspace = { sums: new Float64Array(n * k), sizes: new Float64Array(k), intra: new Float64Array(k) };
  const previous = new Int32Array(n);
  let iterations = 0;
  let converged = false;
  clusterSums(kernel, n, k, assign, ws);
  while (iterations < maxIterations) {
    iterations++;
    previous.set(assign);
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const current = assign[i];
      let best = current;
      let bestD = centreDistance(kernel, n, k, i, current, ws);
      own[i] = bestD;
      for (let c = 0; c < k; c++) {
        if (c === current) continue;
        const d = centreDistance(kernel, n, k, i, c, ws);
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
    updateClusterSums(kernel, n, k, previous, assign, ws);
  }
  clusterSums(kernel, n, k, assign, ws);
  return { clusters: assign, objective: objectiveOf(kernel, n, k, ws), iterations, converged };
}

/**
 * Kernel K-means (Dhillon, Guan & Kulis 2004) on an n x n kernel matrix:
 * K-means in the feature space of the kernel, with centres kept implicit.
 * `restarts` seeded k-means++ initialisations; the partition with the lowest
 * within-cluster sum of squared feature-space distances is kept.
 */
export function kernelKmeans(kernel: Float64Array, n: number, k: number, options: KernelKmeansOptions): ClusteringResult {
  const { seed, restarts = 10, maxIterations = 300, symmetryTolerance = 1e-6, assumeChecked = false, file, field } = options;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be an integer in 1..${n}`);
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError('restarts must be at least 1');
  if (!assumeChecked) checkKernel(kernel, n, symmetryTolerance, { file, field });
  const rng = createRng(seed);
  let best: ClusteringResult | undefined;
  for (let restart = 0; restart < restarts; restart++) {
    const run = singleRun(kernel, n, k, rng, maxIterations);
    if (best === undefined || run.objective < best.objective) best = { ...run, restart };
  }
  return best!;
}
