import type { EpochRecord } from '@elasticity/core';
import { renderSvg } from './figures/render-svg.ts';
import { geodesicScatterSpec } from './figures/geodesic-scatter.ts';
import { similarityHeatmapsSpec } from './figures/similarity-heatmap.ts';
import type { HeatmapPanel } from './figures/similarity-heatmap.ts';
import { trainingCurvesSpec } from './figures/training-curves.ts';
import { clusteringScoresSpec } from './figures/clustering-scores.ts';
import type { GeodesicAnalysis } from './geodesic-analysis.ts';
import { methodLabel } from './labels.ts';
import { joinAnd, plural } from './plural.ts';
import { chanceModel } from './chance.ts';
import type { FigureRef, PipelineResults } from './pipeline-results.ts';

export interface Figure extends FigureRef {
  svg: string;
}

/** The similarity panels of a run and how their rows are ordered. */
export interface HeatmapFigureInput {
  panels: HeatmapPanel[];
  /** Class labels and sizes of the primary examples, in row order. */
  classes: { label: number; size: number }[];
  /** Rows are ordered by an intrinsic coordinate within each class (synthetic data). */
  byCoordinate: boolean;
  /** Similarity-stage outputs that are feature vectors, not matrices (baselines): named in the caption as not drawn. */
  featureInputs: string[];
}

/** The one explanation every similarity panel shares. */
export function heatmapCaption(pipeline: string, h: HeatmapFigureInput): string {
  const kinds = h.panels.map((p) => p.kind);
  const order = `by true class${h.byCoordinate ? ', then by intrinsic coordinate' : ''}`;
  const separation = h.classes.length > 1
    ? ' A similarity that separates the classes is brighter in the diagonal blocks (pairs of the same class) than off them; each panel\'s subtitle gives both means.'
    : ' The subtitle gives the mean over all pairs.';
  const features = h.featureInputs.length > 0
    ? ` ${joinAnd(h.featureInputs)} ${h.featureInputs.length === 1 ? 'is a feature file' : 'are feature files'} (clustered by K-means on Euclidean distance), not ${h.featureInputs.length === 1 ? 'a similarity matrix' : 'similarity matrices'}: not drawn.`
    : '';
  return `${pipeline}: ${h.panels.length === 1 ? `the ${kinds[0]} similarity matrix` : `the ${plural(h.panels.length, 'similarity matrix', 'similarity matrices')} of the run (${joinAnd(kinds)})`}`
    + ` over the ${plural(h.panels[0].n, 'primary example')}, rows and columns in the same order: ${order}${h.classes.length > 1 ? ', white lines between classes' : ''}.`
    + ' Each cell is the mean similarity of a block of rows against a block of columns, leaving out each example with itself; each panel has its own colour scale.'
    + separation + features;
}

/**
 * The figures of one pipeline's report, in page order: similarity against
 * geodesic distance (synthetic data), the similarity matrices, training
 * curves, clustering scores.
 */
export async function pipelineFigures(
  r: PipelineResults, analyses: GeodesicAnalysis[], heatmaps: HeatmapFigureInput | undefined, records: EpochRecord[] | undefined,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const add = async (id: string, caption: string, spec: Parameters<typeof renderSvg>[0]) => {
    figures.push({ id, caption, file: `figures/${id}.svg`, svg: await renderSvg(spec) });
  };
  const model = r.training ? ` (${r.training.model})` : '';
  if (analyses.length > 0) {
    await add('geodesic-scatter', `${r.pipeline}: every pair of class-1 points, similarity against geodesic distance; red: binned means ± 1 sd.`,
      geodesicScatterSpec(`${r.dataset.name}${model}: similarity vs geodesic distance`, analyses));
  }
  if (heatmaps && heatmaps.panels.length > 0) {
    const classes = heatmaps.classes.map((c) => `class ${c.label}: ${c.size}`).join(', ');
    const subtitle = `${plural(heatmaps.panels[0].n, 'primary example')} ordered by class (${classes})${heatmaps.byCoordinate ? ' and intrinsic coordinate' : ''}`;
    await add('similarity-heatmaps', heatmapCaption(r.pipeline, heatmaps),
      similarityHeatmapsSpec(`${r.dataset.name}${model}: ${heatmaps.panels.length === 1 ? 'similarity' : 'similarities'}`, subtitle, heatmaps.panels));
  }
  if (records && records.length > 0) {
    await add('training-curves', `${r.pipeline}: training loss and accuracy per epoch.`, trainingCurvesSpec(`${r.dataset.name}${model}: training`, records));
  }
  if (r.results.length > 0) {
    const chance = r.clustering?.chance;
    const methods = r.results.map((c) => ({ method: methodLabel(c.input, c.method), accuracy: c.accuracy, ARI: c.ari, NMI: c.nmi }));
    await add('clustering', `${r.pipeline}: clustering of the primary examples over ${plural(r.clustering?.seeds ?? 1, 'seed')}, one panel per score, each on its own scale:`
      + ' dot the mean, black bar ± 1 sd, grey ticks the seeds.'
      + (chance ? ` Dashed red: chance. For accuracy the ${chanceModel(r.clustering!.k)}, ${chance.accuracy.toFixed(4)} here (the largest class alone: ${chance.majority.toFixed(4)}); ARI is adjusted for chance, so chance is 0. NMI is not adjusted and has no line.` : ''),
      clusteringScoresSpec(`${r.dataset.name}${model}: clustering`, methods, chance ? { accuracy: chance.accuracy, ARI: 0 } : {}));
  }
  return figures;
}
