import type { TopLevelSpec } from 'vega-lite';

export interface HeatmapInput {
  kind: string;
  n: number;
  /** Row-major n x n. */
  values: Float64Array;
  /** True class of each row (primary classes). */
  classes: ArrayLike<number>;
  /** Tie-break inside a class (e.g. the intrinsic coordinate of synthetic points); dataset order when absent. */
  within?: ArrayLike<number>;
}

/** Row order for the heatmap: by true class, then by `within`, then by position (stable). */
export function heatmapOrder(input: Pick<HeatmapInput, 'n' | 'classes' | 'within'>): number[] {
  const { n, classes, within } = input;
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => classes[a] - classes[b] || (within ? within[a] - within[b] : 0) || a - b);
}

/**
 * Block means of the reordered matrix on a grid of at most maxCells x
 * maxCells: cell (r, c) averages the rows of block r against the columns of
 * block c (blocks as equal as possible).
 */
export function heatmapCells(input: HeatmapInput, maxCells = 40): { cells: { r: number; c: number; value: number }[]; blocks: number; bounds: number[] } {
  const order = heatmapOrder(input);
  const blocks = Math.min(input.n, maxCells);
  const bounds = Array.from({ length: blocks + 1 }, (_, b) => Math.round((b * input.n) / blocks));
  const cells = [];
  for (let r = 0; r < blocks; r++) {
    for (let c = 0; c < blocks; c++) {
      let sum = 0;
      for (let i = bounds[r]; i < bounds[r + 1]; i++) {
        for (let j = bounds[c]; j < bounds[c + 1]; j++) sum += input.values[order[i] * input.n + order[j]];
      }
      cells.push({ r, c, value: sum / ((bounds[r + 1] - bounds[r]) * (bounds[c + 1] - bounds[c])) });
    }
  }
  return { cells, blocks, bounds };
}

/** The similarity matrix as a heatmap, rows and columns ordered by true class. */
export function similarityHeatmapSpec(title: string, input: HeatmapInput, maxCells = 40): TopLevelSpec {
  const { cells, blocks } = heatmapCells(input, maxCells);
  const classes = [...new Set(Array.from(input.classes))].sort((a, b) => a - b);
  const per = classes.map((k) => `${Array.from(input.classes).filter((v) => v === k).length} of class ${k}`).join(', ');
  const axis = { type: 'ordinal' as const, axis: null };
  return {
    title: { text: title, subtitle: `${input.kind}, ${input.n} primary points ordered by class (${per})${input.within ? ' and intrinsic coordinate' : ''}; ${blocks} x ${blocks} block means` },
    width: 320,
    height: 320,
    data: { values: cells },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'c', ...axis },
      y: { field: 'r', ...axis },
      color: { field: 'value', type: 'quantitative', title: input.kind, scale: { scheme: 'viridis' } },
    },
  } as TopLevelSpec;
}
