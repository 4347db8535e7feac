import type { TopLevelSpec } from 'vega-lite';

export interface HeatmapInput {
  kind: string;
  n: number;
  /** Row-major n x n. */
  values: ArrayLike<number>;
  /** True class of each row (primary classes). */
  classes: ArrayLike<number>;
  /** Tie-break inside a class (e.g. the intrinsic coordinate of synthetic points); dataset order when absent. */
  within?: ArrayLike<number>;
}

/** One block of the reordered matrix: rows y..y2 against columns x..x2 (positions in the ordered examples), and its mean. */
export interface HeatmapCell {
  x: number;
  x2: number;
  y: number;
  y2: number;
  value: number;
}

/** What one similarity panel draws, computed once from the n x n matrix (which can then be dropped). */
export interface HeatmapPanel {
  kind: string;
  n: number;
  cells: HeatmapCell[];
  /** Positions (in the ordered examples) where one class ends and the next begins. */
  classEdges: number[];
  /** Mean over pairs i != j of the same class, and of different classes (NaN when there are none). */
  sameClass: number;
  otherClass: number;
}

/** Row order for the heatmap: by true class, then by `within`, then by position (stable). */
export function heatmapOrder(input: Pick<HeatmapInput, 'n' | 'classes' | 'within'>): number[] {
  const { n, classes, within } = input;
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => classes[a] - classes[b] || (within ? within[a] - within[b] : 0) || a - b);
}

/**
 * Block bounds over the class-ordered examples: each class gets a share of
 * the about maxCells blocks in proportion to its size (at least one, at most
 * one per example), cut as evenly as possible, so no block straddles two
 * classes. Returns the bounds and the class edges among them.
 */
export function heatmapBounds(sizes: number[], maxCells: number): { bounds: number[]; classEdges: number[] } {
  const n = sizes.reduce((a, b) => a + b, 0);
  const bounds = [0];
  const classEdges: number[] = [];
  let start = 0;
  sizes.forEach((size, k) => {
    const blocks = Math.min(size, Math.max(1, Math.round((maxCells * size) / n)));
    for (let b = 1; b <= blocks; b++) bounds.push(start + Math.round((b * size) / blocks));
    start += size;
    if (k < sizes.length - 1) classEdges.push(start);
  });
  return { bounds, classEdges };
}

/**
 * The sums a heatmap panel is made of, fed the matrix's rows in blocks (a
 * matrix larger than memory is read from its file a block at a time): per
 * block of the class-ordered grid, and over the pairs i != j of the same
 * class and of different classes. Each sum adds its entries in row order,
 * then column order, whatever the blocks, so a matrix fed in blocks gives
 * the panel of the whole matrix to the bit.
 */
export class HeatmapSums {
  private readonly cellOf: Int32Array;
  private readonly cellCount: number;
  private readonly sums: Float64Array;
  private readonly cellSizes: number[];
  private readonly classEdges: number[];
  private readonly bounds: number[];
  private same = 0;
  private sameCount = 0;
  private other = 0;
  private otherCount = 0;
  private rowsSeen = 0;

  constructor(private readonly input: Omit<HeatmapInput, 'values'>, maxCells = 40) {
    const { n, classes } = input;
    const order = heatmapOrder(input);
    const labels = [...new Set(Array.from(classes))].sort((a, b) => a - b);
    const sizes = labels.map((k) => Array.from(classes).filter((c) => c === k).length);
    const { bounds, classEdges } = heatmapBounds(sizes, maxCells);
    this.bounds = bounds;
    this.classEdges = classEdges;
    this.cellCount = bounds.length - 1;
    this.cellSizes = Array.from({ length: this.cellCount }, (_, c) => bounds[c + 1] - bounds[c]);
    // example (matrix row/column) -> its grid block
    this.cellOf = new Int32Array(n);
    for (let c = 0; c < this.cellCount; c++) for (let q = bounds[c]; q < bounds[c + 1]; q++) this.cellOf[order[q]] = c;
    this.sums = new Float64Array(this.cellCount * this.cellCount);
  }

  /** Rows [from, to) of the matrix ((to - from) x n values, row-major), in row order: each block right after the one before. */
  addRows(values: ArrayLike<number>, from: number, to: number): void {
    const { n, classes } = this.input;
    if (from !== this.rowsSeen) throw new RangeError(`rows from ${from} given after ${this.rowsSeen} rows`);
    if (values.length < (to - from) * n) throw new RangeError(`${values.length} values for rows [${from}, ${to}) of ${n} columns`);
    const { cellOf, sums, cellCount } = this;
    for (let i = from; i < to; i++) {
      const base = (i - from) * n, cellRow = cellOf[i] * cellCount, ci = classes[i];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const v = values[base + j];
        sums[cellRow + cellOf[j]] += v;
        if (classes[j] === ci) {
          this.same += v;
          this.sameCount++;
        } else {
          this.other += v;
          this.otherCount++;
        }
      }
    }
    this.rowsSeen = to;
  }

  /** The panel, once every row was added. */
  panel(): HeatmapPanel {
    const { n, kind } = this.input;
    if (this.rowsSeen !== n) throw new RangeError(`${this.rowsSeen} of ${n} rows added`);
    const { bounds, cellCount, cellSizes, sums } = this;
    const cells: HeatmapCell[] = [];
    for (let r = 0; r < cellCount; r++) {
      for (let c = 0; c < cellCount; c++) {
        // pairs in the block, the diagonal left out
        const count = cellSizes[r] * cellSizes[c] - (r === c ? cellSizes[r] : 0);
        if (count > 0) cells.push({ x: bounds[c], x2: bounds[c + 1], y: bounds[r], y2: bounds[r + 1], value: sums[r * cellCount + c] / count });
      }
    }
    return { kind, n, cells, classEdges: this.classEdges, sameClass: this.same / this.sameCount, otherClass: this.other / this.otherCount };
  }
}

/**
 * The panel of one similarity matrix: block means of the class-ordered
 * matrix on a grid of about maxCells x maxCells, the diagonal (each example
 * with itself) left out of every mean, and the mean similarity within and
 * between classes over all pairs i != j.
 */
export function heatmapPanel(input: HeatmapInput, maxCells = 40): HeatmapPanel {
  const { values, ...rest } = input;
  const sums = new HeatmapSums(rest, maxCells);
  sums.addRows(values, 0, input.n);
  return sums.panel();
}

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.001) ? v.toExponential(2) : v.toPrecision(3)) : 'n/a');

/** A panel's subtitle: the within- and between-class means, or the mean of all pairs for one class. */
export function panelSubtitle(p: HeatmapPanel): string {
  return p.classEdges.length === 0 ? `mean over pairs ${fmt(p.sameClass)}` : `mean same class ${fmt(p.sameClass)}, other class ${fmt(p.otherClass)}`;
}

/**
 * Every similarity matrix of a run side by side (`columns` panels a row),
 * rows and columns in the same class order, white lines between classes;
 * each panel has its own colour scale, since the measures have different units.
 */
export function similarityHeatmapsSpec(title: string, subtitle: string, panels: HeatmapPanel[], columns = 3): TopLevelSpec {
  const size = panels.length === 1 ? 320 : 230;
  return {
    title: { text: title, subtitle },
    columns: Math.min(columns, panels.length),
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    concat: panels.map((p) => {
      const position = (field: string, reverse = false) => ({
        field, type: 'quantitative' as const, axis: null, scale: { domain: [0, p.n], nice: false, zero: false, reverse },
      });
      return {
        title: { text: p.kind, subtitle: panelSubtitle(p) },
        width: size,
        height: size,
        layer: [
          {
            data: { values: p.cells },
            mark: { type: 'rect' as const },
            encoding: {
              x: position('x'), x2: { field: 'x2' }, y: position('y', true), y2: { field: 'y2' },
              color: { field: 'value', type: 'quantitative' as const, title: p.kind, scale: { scheme: 'viridis' }, legend: { gradientLength: size - 20 } },
            },
          },
          ...(p.classEdges.length === 0 ? [] : [
            {
              data: { values: p.classEdges.map((edge) => ({ edge })) },
              mark: { type: 'rule' as const, color: 'white', strokeWidth: 1.5 },
              encoding: { x: position('edge') },
            },
            {
              data: { values: p.classEdges.map((edge) => ({ edge })) },
              mark: { type: 'rule' as const, color: 'white', strokeWidth: 1.5 },
              encoding: { y: position('edge', true) },
            },
          ]),
        ],
      };
    }),
  } as TopLevelSpec;
}
