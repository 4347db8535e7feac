import { contingencyTable } from './contingency.ts';

function entropy(counts: number[], n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * Normalised mutual information with arithmetic-mean normalisation
 * (scikit-learn's default, average_method='arithmetic'):
 * NMI = I(U; V) / ((H(U) + H(V)) / 2), natural logarithms (the base cancels).
 * Limit cases as scikit-learn: both partitions a single group -> 1;
 * zero mutual information -> 0.
 */
export function normalizedMutualInformation(clusters: ArrayLike<number>, classes: ArrayLike<number>): number {
  const { counts, n, clusterLabels, classLabels } = contingencyTable(clusters, classes);
  if (clusterLabels.length === classLabels.length && clusterLabels.length <= 1) return 1;
  const rowSums = counts.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = classLabels.map((_, j) => counts.reduce((s, row) => s + row[j], 0));
  let mi = 0;
  counts.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v > 0) mi += (v / n) * Math.log((n * v) / (rowSums[i] * colSums[j]));
    });
  });
  if (mi <= 0) return 0;
  const mean = (entropy(rowSums, n) + entropy(colSums, n)) / 2;
  return Math.min(1, mi / mean);
}
