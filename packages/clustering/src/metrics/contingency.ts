/**
 * Contingency (confusion) table of a clustering against true classes:
 * counts[r][c] = number of examples in cluster clusterLabels[r] and class
 * classLabels[c]. Labels are the distinct values, ascending.
 */
export interface Contingency {
  counts: number[][];
  clusterLabels: number[];
  classLabels: number[];
  n: number;
}

export function contingencyTable(clusters: ArrayLike<number>, classes: ArrayLike<number>, options: { clusterLabels?: number[] } = {}): Contingency {
  if (clusters.length !== classes.length) throw new RangeError(`${clusters.length} cluster labels for ${classes.length} classes`);
  const distinct = (xs: ArrayLike<number>) => Array.from(new Set(Array.from(xs))).sort((a, b) => a - b);
  const clusterLabels = options.clusterLabels ?? distinct(clusters);
  const classLabels = distinct(classes);
  const rowOf = new Map(clusterLabels.map((l, i) => [l, i]));
  const colOf = new Map(classLabels.map((l, i) => [l, i]));
  const counts = clusterLabels.map(() => new Array<number>(classLabels.length).fill(0));
  for (let i = 0; i < clusters.length; i++) {
    const r = rowOf.get(clusters[i]);
    if (r === undefined) throw new RangeError(`cluster label ${clusters[i]} not among ${clusterLabels.join(', ')}`);
    counts[r][colOf.get(classes[i])!]++;
  }
  return { counts, clusterLabels, classLabels, n: clusters.length };
}

/**
 * Confusion matrix with one row per cluster 0..k-1 (empty clusters give zero
 * rows) and one column per true class, ascending.
 */
export function confusionMatrix(clusters: ArrayLike<number>, classes: ArrayLike<number>, k: number): Contingency {
  return contingencyTable(clusters, classes, { clusterLabels: Array.from({ length: k }, (_, c) => c) });
}
