import type { Dataset, FeatureRows } from '@elasticity/core';
import { primaryIndices } from '@elasticity/core';

/** Raw input features (pixels as stored in the data set) of the primary examples, as float64, in dataset order. */
export function rawFeatures(ds: Dataset): FeatureRows {
  const rows = primaryIndices(ds);
  const d = ds.d;
  const values = new Float64Array(rows.length * d);
  const ids = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    ids[i] = ds.ids[r];
    const src = ds.x.subarray(r * d, (r + 1) * d);
    values.set(src, i * d);
  });
  return { kind: 'raw', ids, values, dim: d };
}
