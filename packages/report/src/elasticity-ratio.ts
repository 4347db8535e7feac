import { heatmapPanel } from './figures/similarity-heatmap.ts';

/**
 * The elasticity ratio of a similarity matrix over labelled examples: the
 * mean similarity between two different examples of the same class over the
 * mean similarity between examples of different classes (the diagonal, an
 * example with itself, left out). Above 1: one SGD step at an example moves
 * the predictions at examples of its own class more than at the others, the
 * local elasticity the paper describes; 1: no preference for the class.
 * The ratio is of means, so a matrix scaled by any positive factor has the
 * same ratio; undefined (null) when either mean cannot be formed or the
 * between-class mean is not positive.
 */
export interface ElasticityRatio {
  /** Mean S(i, j) over ordered pairs i != j of one class. */
  within: number;
  /** Mean S(i, j) over ordered pairs of different classes. */
  between: number;
  /** within / between, or null (see above). */
  ratio: number | null;
}

/** The ratio of a within-class and a between-class mean (null when either is not a number or the between-class mean is not positive). */
export function elasticityRatioOf(within: number, between: number): ElasticityRatio {
  return { within, between, ratio: Number.isFinite(within) && Number.isFinite(between) && between > 0 ? within / between : null };
}

/** `values`: n x n row-major (row i: the step at example i); `classes[i]`: the class of example i. */
export function elasticityRatio(values: ArrayLike<number>, classes: ArrayLike<number>): ElasticityRatio {
  const n = classes.length;
  if (values.length !== n * n) throw new Error(`elasticityRatio: ${values.length} values for ${n} examples (needs ${n * n})`);
  const { sameClass, otherClass } = heatmapPanel({ kind: '', n, values, classes }, 2);
  return elasticityRatioOf(sameClass, otherClass);
}
