import { createRng } from '@elasticity/core';
import type { Rng } from '@elasticity/core';

/** One K-means run from one initialisation. */
export interface LloydRun {
  clusters: Int32Array;
  /** Row-major k x dim centres. */
  centres: Float64Array;
  /** Within-cluster sum of squares of the returned partition. */
  objective: number;
  iterations: number;
  converged: boolean;
}

export interface LloydOptions {
  maxIterations?: number;
  /** Also stop when every centre moved by at most this squared distance (as ml-kmeans); default 1e-6. */
  tolerance?: number;
}

function squaredDistance(x: Float64Array, i: number, centres: Float64Array, c: number, dim: number): number {
  const a = i * dim, b = c * dim;
  let s0 = 0, s1 = 0;
  let p = 0;
  for (; p + 1 < dim; p += 2) {
    const d0 = x[a + p] - centres[b + p];
    const d1 = x[a + p + 1] - centres[b + p + 1];
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  if (p < dim) {
    const d = x[a + p] - centres[b + p];
    s0 += d * d;
  }
  return s0 + s1;
}

/** Draws an index with probability proportional to weights[i] (total > 0). */
function drawWeighted(weights: Float64Array, total: number, rng: Rng): number {
  let r = rng.next() * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] <= 0) continue;
    last = i;
    r -= weights[i];
    if (r < 0) return i;
  }
  return last;
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with scikit-learn's
 * 2 + floor(ln k) candidate draws per centre, keeping the candidate that
 * lowers the potential most). Returns k x dim centres.
 */
export function kmeansPlusPlus(x: Float64Array, n: number, dim: number, k: number, rng: Rng): Float64Array {
  const centres = new Float64Array(k * dim);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(0, n - 1);
  centres.set(x.subarray(first * dim, (first + 1) * dim), 0);
  let closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = squaredDistance(x, i, centres, 0, dim);
  const candidate = new Float64Array(n);
  let best = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += closest[i];
    let chosen = -1;
    let chosenPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      // All points coincide with chosen centres: any point will do.
      const pick = total > 0 ? drawWeighted(closest, total, rng) : rng.int(0, n - 1);
      let potential = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.min(closest[i], squaredDistanceRows(x, i, pick, dim));
        candidate[i] = d;
        potential += d;
      }
      if (potential < chosenPotential) {
        chosenPotential = potential;
        chosen = pick;
        best.set(candidate);
      }
    }
    centres.set(x.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    [closest, best] = [best, closest];
  }
  return centres;
}

function squaredDistanceRows(x: Float64Array, i: number, j: number, dim: number): number {
  return squaredDistance(x, i, x, j, dim);
}

/**
 * Lloyd iterations from the given centres on n x dim row-major data:
 * assign each row to its nearest centre (ties: lowest index), move each
 * centre to its cluster's mean; an emptied cluster takes the row farthest
 * from its centre. Stops when no row changes cluster or no centre moves
 * more than `tolerance` (squared).
 */
export function lloyd(x: Float64Array, n: number, dim: number, k: number, initial: Float64Array, options: LloydOptions = {}): LloydRun {
  const { maxIterations = 300, tolerance = 1e-6 } = options;
  const centres = Float64Array.from(initial);
  const next = new Float64Array(k * dim);
  const clusters = new Int32Array(n).fill(-1);
  const distance = new Float64Array(n);
  const sizes = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const best = nearestCentre(x, i, centres, k, dim, distance);
      if (clusters[i] !== best) changed++;
      clusters[i] = best;
    }
    if (changed === 0) {
      converged = true;
      break;
    }
    // Empty clusters take the farthest rows (from clusters of more than one row).
    sizes.fill(0);
    for (let i = 0; i < n; i++) sizes[clusters[i]]++;
    for (let c = 0; c < k; c++) {
      if (sizes[c] > 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) if (sizes[clusters[i]] > 1 && (far < 0 || distance[i] > distance[far])) far = i;
      sizes[clusters[far]]--;
      clusters[far] = c;
      sizes[c] = 1;
      distance[far] = 0;
    }
    next.fill(0);
    for (let i = 0; i < n; i++) {
      const a = i * dim, b = clusters[i] * dim;
      for (let p = 0; p < dim; p++) next[b + p] += x[a + p];
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const b = c * dim, inv = 1 / sizes[c];
      let moved = 0;
      for (let p = 0; p < dim; p++) {
        const v = next[b + p] * inv;
        moved += (v - centres[b + p]) ** 2;
        centres[b + p] = v;
      }
      shift = Math.max(shift, moved);
    }
    if (shift <= tolerance) {
      converged = true;
      // Final assignment to the final centres, so that clusters and centres agree.
      for (let i = 0; i < n; i++) clusters[i] = nearestCentre(x, i, centres, k, dim, distance);
      break;
    }
  }
  return { clusters, centres, objective: withinClusterSumOfSquares(x, n, dim, k, clusters), iterations, converged };
}

/** Sum over rows of the squared distance to the mean of the row's cluster. */
export function withinClusterSumOfSquares(values: Float64Array, n: number, dim: number, k: number, clusters: ArrayLike<number>): number {
  const means = new Float64Array(k * dim);
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = clusters[i];
    sizes[c]++;
    for (let j = 0; j < dim; j++) means[c * dim + j] += values[i * dim + j];
  }
  for (let c = 0; c < k; c++) if (sizes[c] > 0) for (let j = 0; j < dim; j++) means[c * dim + j] /= sizes[c];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = clusters[i];
    for (let j = 0; j < dim; j++) total += (values[i * dim + j] - means[c * dim + j]) ** 2;
  }
  return total;
}

/** One seeded K-means run: k-means++ seeding from `seed`, then Lloyd iterations. */
export function kmeansOnce(x: Float64Array, n: number, dim: number, k: number, seed: number, options: LloydOptions = {}): LloydRun {
  const rng = createRng(seed);
  return lloyd(x, n, dim, k, kmeansPlusPlus(x, n, dim, k, rng), options);
}

/** Index of the centre nearest to row i; its squared distance goes into distance[i]. */
function nearestCentre(x: Float64Array, i: number, centres: Float64Array, k: number, dim: number, distance: Float64Array): number {
  let best = 0, bestD = squaredDistance(x, i, centres, 0, dim);
  for (let c = 1; c < k; c++) {
    const d = squaredDistance(x, i, centres, c, dim);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  distance[i] = bestD;
  return best;
}
