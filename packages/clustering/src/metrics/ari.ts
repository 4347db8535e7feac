import { contingencyTable } from './contingency.ts';

const pairs = (m: number) => (m * (m - 1)) / 2;

/**
 * Adjusted Rand index (Hubert & Arabie 1985):
 * (index - expected) / (max - expected), with index = sum_ij C(n_ij, 2),
 * expected = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2),
 * max = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2.
 * When max = expected (both partitions trivial and equal) it is 1, as in scikit-learn.
 */
export function adjustedRandIndex(clusters: ArrayLike<number>, classes: ArrayLike<number>): number {
  const { counts, n } = contingencyTable(clusters, classes);
  let index = 0, sumA = 0;
  const colSums = new Array<number>(counts[0]?.length ?? 0).fill(0);
  for (const row of counts) {
    let a = 0;
    row.forEach((v, j) => {
      index += pairs(v);
      a += v;
      colSums[j] += v;
    });
    sumA += pairs(a);
  }
  const sumB = colSums.reduce((s, b) => s + pairs(b), 0);
  if (n < 2) return 1;
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
