import { createRng } from '@elasticity/core';
import { linearSumAssignment } from 'linear-sum-assignment';

export interface ChanceOptions {
  /** Clusters of the random labelling (default: one per class). */
  k?: number;
  /** Random labellings averaged (default 2000: the Monte-Carlo sd of the mean is then about 2e-4 at 1000 examples). */
  trials?: number;
  seed?: number;
}

export const CHANCE_DEFAULTS = { trials: 2000, seed: 0 } as const;

/** What chanceAccuracy measures, for captions and notes. */
export function chanceModel(k: number): string {
  return `expected accuracy, under the best one-to-one matching of clusters to classes, of a labelling that puts each example in one of the ${k} clusters uniformly at random`;
}

function checkSizes(classSizes: readonly number[]): number {
  if (classSizes.length === 0 || !classSizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`class sizes must be positive integers, got [${classSizes.join(', ')}]`);
  }
  return classSizes.reduce((a, b) => a + b, 0);
}

/**
 * The chance level of clustering accuracy with Hungarian matching: the mean,
 * over `trials` seeded random labellings, of the best-matching accuracy of a
 * labelling that ignores the data. It is not 1/k: on 2 balanced classes of 500
 * it is about 0.513, since the matching picks whichever way the random split
 * happens to lean. Same arguments, same value.
 */
export function chanceAccuracy(classSizes: readonly number[], options: ChanceOptions = {}): number {
  const n = checkSizes(classSizes);
  const k = options.k ?? classSizes.length;
  const { trials, seed } = { ...CHANCE_DEFAULTS, ...options };
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  const rng = createRng(seed);
  let sum = 0;
  for (let t = 0; t < trials; t++) {
    // counts[class][cluster] of one random labelling.
    const counts = classSizes.map((size) => {
      const row = new Array<number>(k).fill(0);
      for (let i = 0; i < size; i++) row[rng.int(0, k - 1)]++;
      return row;
    });
    sum += matchedTotal(counts) / n;
  }
  return sum / trials;
}

/** The largest sum of entries under a one-to-one matching of rows to columns. */
function matchedTotal(counts: number[][]): number {
  const { rowAssignments } = linearSumAssignment(counts, { maximaze: true });
  return counts.reduce((s, row, r) => s + (rowAssignments[r] >= 0 ? row[rowAssignments[r]] : 0), 0);
}

/** The fraction of the largest class: the accuracy of putting every example in one cluster. */
export function majorityFraction(classSizes: readonly number[]): number {
  return Math.max(...classSizes) / checkSizes(classSizes);
}
