import { linearSumAssignment } from 'linear-sum-assignment';

export interface Matching {
  /** Pairs [row, column] of the matching; rows or columns left over when the table is not square are unmatched. */
  pairs: Array<[number, number]>;
  /** Sum of the matched entries. */
  total: number;
}

/**
 * The one-to-one matching of rows to columns that maximises the sum of the
 * matched entries (Hungarian problem; Jonker-Volgenant solver of
 * linear-sum-assignment). Works for rectangular tables.
 */
export function bestMatching(table: number[][]): Matching {
  const rows = table.length;
  if (rows === 0 || table[0].length === 0) return { pairs: [], total: 0 };
  const { rowAssignments } = linearSumAssignment(table, { maximaze: true });
  const pairs: Array<[number, number]> = [];
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const c = rowAssignments[r];
    if (c < 0) continue;
    pairs.push([r, c]);
    total += table[r][c];
  }
  return { pairs, total };
}
