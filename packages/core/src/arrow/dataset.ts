import { ElasticityError } from '../errors.ts';
import { DATASET_CONTRACT } from './contract.ts';
import { readContractFile, writeContractFile } from './table-io.ts';
import type { StageMeta } from './metadata.ts';

export type Role = 'primary' | 'auxiliary';

/** An ingested data set: the examples every later stage works on. */
export interface Dataset {
  name: string;
  /** Shape of one input, e.g. [1, 28, 28] for MNIST, [3] for 3-d points. */
  inputShape: number[];
  /** How pixels were scaled, e.g. "(p/255-0.5)/0.5". */
  scaling: string;
  ids: Int32Array;
  /** Row-major n x d. */
  x: Float32Array;
  d: number;
  target: Float32Array;
  classes: Int16Array;
  roles: Role[];
  /** Intrinsic coordinates of synthetic points, row-major n x coordDim. */
  coord?: Float64Array;
  coordDim?: number;
}

export function datasetSize(ds: Dataset): number {
  return ds.ids.length;
}

export async function writeDatasetFile(file: string, ds: Dataset, meta: Omit<StageMeta, 'schemaVersion' | 'extra'>): Promise<void> {
  const columns: Record<string, Int32Array | Float32Array | Float64Array | Int16Array | string[]> = {
    id: ds.ids, x: ds.x, target: ds.target, class: ds.classes, role: ds.roles,
  };
  if (ds.coord) columns.coord = ds.coord;
  await writeContractFile(file, DATASET_CONTRACT, columns, {
    ...meta,
    extra: { name: ds.name, input_shape: JSON.stringify(ds.inputShape), scaling: ds.scaling },
  });
}

export async function readDatasetFile(file: string): Promise<{ dataset: Dataset; meta: StageMeta }> {
  const t = await readContractFile(file, DATASET_CONTRACT);
  const inputShape = parseShape(t.meta.extra.input_shape, file);
  const d = t.listSizes.x;
  if (inputShape.reduce((a, b) => a * b, 1) !== d) {
    throw new ElasticityError(`input_shape ${JSON.stringify(inputShape)} does not match row length ${d}`, { file, field: 'x' });
  }
  const roles = t.columns.role as string[];
  roles.forEach((r, i) => {
    if (r !== 'primary' && r !== 'auxiliary') throw new ElasticityError(`row ${i}: role "${r}" is not primary or auxiliary`, { file, field: 'role' });
  });
  const target = t.columns.target as Float32Array;
  target.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new ElasticityError(`row ${i}: target ${v} is not 0 or 1`, { file, field: 'target' });
  });
  const ids = t.columns.id as Int32Array;
  if (new Set(ids).size !== ids.length) throw new ElasticityError('ids are not unique', { file, field: 'id' });
  const dataset: Dataset = {
    name: t.meta.extra.name,
    inputShape,
    scaling: t.meta.extra.scaling,
    ids,
    x: t.columns.x as Float32Array,
    d,
    target,
    classes: t.columns.class as Int16Array,
    roles: roles as Role[],
  };
  if (t.columns.coord) {
    dataset.coord = t.columns.coord as Float64Array;
    dataset.coordDim = t.listSizes.coord;
  }
  return { dataset, meta: t.meta };
}

function parseShape(text: string, file: string): number[] {
  let shape: unknown;
  try {
    shape = JSON.parse(text);
  } catch {
    shape = undefined;
  }
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new ElasticityError(`input_shape "${text}" is not a list of positive integers`, { file, field: 'metadata.input_shape' });
  }
  return shape as number[];
}

/** Indices (row positions) of the primary examples, in file order. */
export function primaryIndices(ds: Dataset): number[] {
  const out: number[] = [];
  ds.roles.forEach((r, i) => {
    if (r === 'primary') out.push(i);
  });
  return out;
}
