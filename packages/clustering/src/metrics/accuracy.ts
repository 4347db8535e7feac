import { contingencyTable } from './contingency.ts';
import { bestMatching } from './matching.ts';

/**
 * Clustering accuracy: the fraction of examples whose cluster is matched to
 * their class under the best one-to-one matching of clusters to classes.
 * For two clusters and two classes this is max(acc, 1 - acc).
 */
export function clusteringAccuracy(clusters: ArrayLike<number>, classes: ArrayLike<number>): number {
  if (clusters.length === 0) throw new RangeError('no examples');
  const table = contingencyTable(clusters, classes);
  return bestMatching(table.counts).total / table.n;
}
