import { ElasticityError } from '../errors.ts';
import { NEIGHBOURS_CONTRACT } from './contract.ts';
import { readContractFile, writeContractFile } from './table-io.ts';
import type { StageMeta } from './metadata.ts';

/** The `order` metadata of every neighbours file: how each row's 2k entries are laid out. */
export const NEIGHBOURS_ORDER = 'the k most moved (value descending), then the k least moved (value ascending); ties by id ascending; the probed example itself excluded';

/**
 * Elastic neighbours of each probed example (row r: example ids[r]): its 2k
 * entries are neighbourIds / values [r * 2k, (r + 1) * 2k), laid out as
 * NEIGHBOURS_ORDER says. The two halves overlap when 2k exceeds the n - 1
 * other examples.
 */
export interface ElasticNeighbours {
  /** The probe matrix ranked: relative | kernelized. */
  kind: string;
  k: number;
  ids: Int32Array;
  /** Row-major ids.length x 2k. */
  neighbourIds: Int32Array;
  /** Row-major ids.length x 2k: the matrix entry of each neighbour in the probed example's row. */
  values: Float64Array;
}

export async function writeNeighboursFile(file: string, n: ElasticNeighbours, meta: Omit<StageMeta, 'schemaVersion' | 'extra'>): Promise<void> {
  const width = 2 * n.k;
  if (n.neighbourIds.length !== n.ids.length * width || n.values.length !== n.ids.length * width) {
    throw new Error(`neighbours ${n.kind}: ${n.neighbourIds.length} ids and ${n.values.length} values for ${n.ids.length} rows of 2k = ${width}`);
  }
  await writeContractFile(file, NEIGHBOURS_CONTRACT, { id: n.ids, neighbour_ids: n.neighbourIds, values: n.values }, {
    ...meta, extra: { kind: n.kind, k: String(n.k), order: NEIGHBOURS_ORDER },
  });
}

export async function readNeighboursFile(file: string): Promise<{ neighbours: ElasticNeighbours; meta: StageMeta }> {
  const t = await readContractFile(file, NEIGHBOURS_CONTRACT);
  const k = Number(t.meta.extra.k);
  if (!Number.isInteger(k) || k < 1) throw new ElasticityError(`k is ${JSON.stringify(t.meta.extra.k)}, not a positive integer`, { file, field: 'metadata.k' });
  for (const column of ['neighbour_ids', 'values']) {
    const size = t.rows === 0 ? 2 * k : t.listSizes[column];
    if (size !== 2 * k) throw new ElasticityError(`rows have ${size} entries, expected 2k = ${2 * k}`, { file, field: column });
  }
  return {
    neighbours: {
      kind: t.meta.extra.kind, k, ids: t.columns.id as Int32Array,
      neighbourIds: t.columns.neighbour_ids as Int32Array, values: t.columns.values as Float64Array,
    },
    meta: t.meta,
  };
}
