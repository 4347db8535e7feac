import { createRng } from '@elasticity/core';
import type { Rng } from '@elasticity/core';
import type { Rows } from './matrix-rows.ts';

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

/** Squared distance between row a of x and row c of centres (dim values each). */
function squaredDistance(x: Float64Array, a: number, centres: Float64Array, c: number, dim: number): number {
  const p0 = a * dim, q0 = c * dim;
  let s0 = 0, s1 = 0;
  let p = 0;
  for (; p + 1 < dim; p += 2) {
    const d0 = x[p0 + p] - centres[q0 + p];
    const d1 = x[p0 + p + 1] - centres[q0 + p + 1];
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  if (p < dim) {
    const d = x[p0 + p] - centres[q0 + p];
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

/** Copies the rows `wanted` (indices) into out[t * dim ..], in one pass. */
async function fetchRows(rows: Rows, wanted: number[], out: Float64Array): Promise<void> {
  const { dim } = rows;
  await rows.pass((x, from, to) => {
    wanted.forEach((i, t) => {
      if (i >= from && i < to) out.set(x.subarray((i - from) * dim, (i - from + 1) * dim), t * dim);
    });
  });
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with scikit-learn's
 * 2 + floor(ln k) candidate draws per centre, keeping the candidate that
 * lowers the potential most). Two passes per centre (fetch the candidate
 * rows, then their distances to every row). Returns k x dim centres.
 */
export async function kmeansPlusPlus(rows: Rows, k: number, rng: Rng): Promise<Float64Array> {
  const { n, dim } = rows;
  const centres = new Float64Array(k * dim);
  const trials = 2 + Math.floor(Math.log(k));
  await fetchRows(rows, [rng.int(0, n - 1)], centres);
  let closest = new Float64Array(n);
  await rows.pass((x, from, to) => {
    for (let i = from; i < to; i++) closest[i] = squaredDistance(x, i - from, centres, 0, dim);
  });
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += closest[i];
    // All points coincide with chosen centres: any point will do.
    const picks = Array.from({ length: trials }, () => (total > 0 ? drawWeighted(closest, total, rng) : rng.int(0, n - 1)));
    const candidates = new Float64Array(trials * dim);
    await fetchRows(rows, picks, candidates);
    const candidate = picks.map(() => new Float64Array(n));
    const potential = new Float64Array(trials);
    await rows.pass((x, from, to) => {
      for (let i = from; i < to; i++) {
        for (let t = 0; t < trials; t++) {
          const d = Math.min(closest[i], squaredDistance(x, i - from, candidates, t, dim));
          candidate[t][i] = d;
          potential[t] += d;
        }
      }
    });
    let chosen = 0;
    for (let t = 1; t < trials; t++) if (potential[t] < potential[chosen]) chosen = t;
    centres.set(candidates.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    closest = candidate[chosen];
  }
  return centres;
}

/**
 * Lloyd iterations from the given centres, one pass over the rows each:
 * assign each row to its nearest centre (ties: lowest index), move each
 * centre to its cluster's mean; an emptied cluster takes the row farthest
 * from its centre. Stops when no row changes cluster or no centre moves
 * more than `tolerance` (squared).
 */
export async function lloyd(rows: Rows, k: number, initial: Float64Array, options: LloydOptions = {}): Promise<LloydRun> {
  const { maxIterations = 300, tolerance = 1e-6 } = options;
  const { n, dim } = rows;
  const centres = Float64Array.from(initial);
  const next = new Float64Array(k * dim);
  const clusters = new Int32Array(n).fill(-1);
  const distance = new Float64Array(n);
  const sizes = new Float64Array(k);
  const accumulate = (x: Float64Array, from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const a = (i - from) * dim, b = clusters[i] * dim;
      for (let p = 0; p < dim; p++) next[b + p] += x[a + p];
    }
  };
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    next.fill(0);
    // The cluster sums are taken on the way; an emptied cluster (below) means taking them again.
    await rows.pass((x, from, to) => {
      let moved = 0;
      for (let i = from; i < to; i++) {
        const best = nearestCentre(x, i - from, centres, k, dim, distance, i);
        if (clusters[i] !== best) moved++;
        clusters[i] = best;
      }
      changed += moved;
      accumulate(x, from, to);
    });
    if (changed === 0) {
      converged = true;
      break;
    }
    // Empty clusters take the farthest rows (from clusters of more than one row).
    sizes.fill(0);
    for (let i = 0; i < n; i++) sizes[clusters[i]]++;
    let emptied = false;
    for (let c = 0; c < k; c++) {
      if (sizes[c] > 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) if (sizes[clusters[i]] > 1 && (far < 0 || distance[i] > distance[far])) far = i;
      sizes[clusters[far]]--;
      clusters[far] = c;
      sizes[c] = 1;
      distance[far] = 0;
      emptied = true;
    }
    if (emptied) {
      next.fill(0);
      await rows.pass(accumulate);
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
      await rows.pass((x, from, to) => {
        for (let i = from; i < to; i++) clusters[i] = nearestCentre(x, i - from, centres, k, dim, distance, i);
      });
      break;
    }
  }
  return { clusters, centres, objective: await withinClusterSumOfSquares(rows, k, clusters), iterations, converged };
}

/** Sum over rows of the squared distance to the mean of the row's cluster (two passes). */
export async function withinClusterSumOfSquares(rows: Rows, k: number, clusters: ArrayLike<number>): Promise<number> {
  const { dim } = rows;
  const means = new Float64Array(k * dim);
  const sizes = new Float64Array(k);
  await rows.pass((values, from, to) => {
    for (let i = from; i < to; i++) {
      const c = clusters[i], a = (i - from) * dim;
      sizes[c]++;
      for (let j = 0; j < dim; j++) means[c * dim + j] += values[a + j];
    }
  });
  for (let c = 0; c < k; c++) if (sizes[c] > 0) for (let j = 0; j < dim; j++) means[c * dim + j] /= sizes[c];
  let total = 0;
  await rows.pass((values, from, to) => {
    // a local sum, continued from the blocks before (the same additions in the same order)
    let sum = total;
    for (let i = from; i < to; i++) {
      const c = clusters[i], a = (i - from) * dim;
      for (let j = 0; j < dim; j++) sum += (values[a + j] - means[c * dim + j]) ** 2;
    }
    total = sum;
  });
  return total;
}

/** One seeded K-means run: k-means++ seeding from `seed`, then Lloyd iterations. */
export async function kmeansOnce(rows: Rows, k: number, seed: number, options: LloydOptions = {}): Promise<LloydRun> {
  const rng = createRng(seed);
  return lloyd(rows, k, await kmeansPlusPlus(rows, k, rng), options);
}

/** Index of the centre nearest to row `a` of x (example i); its squared distance goes into distance[i]. */
function nearestCentre(x: Float64Array, a: number, centres: Float64Array, k: number, dim: number, distance: Float64Array, i: number): number {
  let best = 0, bestD = squaredDistance(x, a, centres, 0, dim);
  for (let c = 1; c < k; c++) {
    const d = squaredDistance(x, a, centres, c, dim);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  distance[i] = bestD;
  return best;
}
