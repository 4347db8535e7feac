import { ElasticityError } from '@elasticity/core';
import type { ElasticNeighbours } from '@elasticity/core';

/**
 * The elastic neighbours of each row of a square probe matrix over `ids`
 * (row i: one step at ids[i], column j: its effect at ids[j], unsymmetrised):
 * for each i, the k other examples with the largest values (most moved,
 * value descending) then the k with the smallest (least moved, value
 * ascending), equal values in id order, i itself left out. Relative
 * similarity ranks by |Δ_i(x_j)| / |Δ_i(x_i)|; kernelized by the signed
 * −Δ_i(x_j) / (η ℓ'_i), so its least moved are the most negative (moved
 * against the step's direction at x_i) where there are such.
 */
export function elasticNeighbours(values: Float64Array, ids: Int32Array, k: number, kind: string, where: { file?: string; field?: string } = {}): ElasticNeighbours {
  const n = ids.length;
  if (values.length !== n * n) throw new Error(`elasticNeighbours: ${values.length} values for ${n} x ${n}`);
  const neighbours = emptyNeighbours(ids, k, kind, where);
  rankNeighbourRows(values, 0, neighbours);
  return neighbours;
}

/**
 * The neighbours of `ids` with room for every row's 2k entries, to be filled
 * by rankNeighbourRows (all rows at once, or block by block); throws naming
 * `where` unless 1 <= k <= n - 1.
 */
export function emptyNeighbours(ids: Int32Array, k: number, kind: string, where: { file?: string; field?: string } = {}): ElasticNeighbours {
  const n = ids.length;
  if (!Number.isInteger(k) || k < 1 || k > n - 1) {
    throw new ElasticityError(`k = ${k} but each of the ${n} probed examples has ${n - 1} other examples: k must be between 1 and ${n - 1}`, where);
  }
  return { kind, k, ids, neighbourIds: new Int32Array(n * 2 * k), values: new Float64Array(n * 2 * k) };
}

/** Ranks rows [from, from + rows.length / n) of the matrix (`rows`: those rows, row-major) into their places in `neighbours`, as elasticNeighbours does. */
export function rankNeighbourRows(rows: Float64Array, from: number, neighbours: ElasticNeighbours): void {
  const { ids, k } = neighbours;
  const n = ids.length;
  const width = 2 * k;
  const others = new Int32Array(n - 1);
  for (let r = 0; r < rows.length / n; r++) {
    const i = from + r;
    const row = rows.subarray(r * n, (r + 1) * n);
    let m = 0;
    for (let j = 0; j < n; j++) if (j !== i) others[m++] = j;
    // Descending by value, ties by id ascending; the k least moved are then read from the end.
    others.sort((a, b) => row[b] - row[a] || ids[a] - ids[b]);
    const at = i * width;
    for (let q = 0; q < k; q++) {
      const top = others[q];
      neighbours.neighbourIds[at + q] = ids[top];
      neighbours.values[at + q] = row[top];
    }
    // Ascending by value with ties by id ascending: walk back from the end over runs of equal values.
    const bottom = leastMoved(others, row, ids, k);
    for (let q = 0; q < k; q++) {
      neighbours.neighbourIds[at + k + q] = ids[bottom[q]];
      neighbours.values[at + k + q] = row[bottom[q]];
    }
  }
}

/** The k columns with the smallest values, ascending, equal values in id order, from columns sorted by value descending (ties by id). */
function leastMoved(sorted: Int32Array, row: Float64Array, ids: Int32Array, k: number): number[] {
  const picked: number[] = [];
  let end = sorted.length;
  while (picked.length < k) {
    // The run of equal values ending at `end` is in id order already: take it from its start.
    let start = end - 1;
    while (start > 0 && row[sorted[start - 1]] === row[sorted[end - 1]]) start--;
    for (let r = start; r < end && picked.length < k; r++) picked.push(sorted[r]);
    end = start;
  }
  return picked;
}
