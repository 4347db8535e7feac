import { ElasticityError, createRng, permutation } from '@elasticity/core';
import type { Dataset, Role } from '@elasticity/core';
import type { ImageSplit } from './readers/image-split.ts';

/** The pixel scaling of method.md section 3, as written into the metadata. */
export const PIXEL_SCALING = '(p/255-0.5)/0.5';

/** x = (p/255 - 0.5) / 0.5 for every byte value p: 0 -> -1, 255 -> 1. */
const SCALED = Float32Array.from({ length: 256 }, (_, p) => (p / 255 - 0.5) / 0.5);

export function scalePixel(p: number): number {
  return SCALED[p];
}

export interface SelectOptions {
  name: string;
  primary: number[];
  auxiliary: number[];
  /** Examples of each primary class (n/2 in the paper's terms). */
  perClass: number;
  /** Auxiliary examples: the first this many of the union, in dataset order. */
  auxiliaryCount: number;
  seed: number;
  /** For error messages: where the split came from and which config key sets the counts. */
  file: string;
  perClassField: string;
  auxiliaryField: string;
  splitName: string;
  /** Display name of a class in messages. */
  describe?: (c: number) => string;
  /** Rows of the split to pass over (those another selection from the same pool took). */
  exclude?: ReadonlySet<number>;
}

/**
 * The rows of the split a selection takes (see selectExamples): the first
 * `perClass` of each primary class and the first `auxiliaryCount` of the
 * auxiliary classes together, in dataset order, skipping `exclude`.
 */
export function selectedRows(split: ImageSplit, o: SelectOptions): { primary: number[]; auxiliary: number[] } {
  const describe = o.describe ?? String;
  const chosenByClass = new Map<number, number[]>(o.primary.map((c) => [c, []]));
  const auxSet = new Set(o.auxiliary);
  const aux: number[] = [];
  for (let i = 0; i < split.count; i++) {
    if (o.exclude?.has(i)) continue;
    const label = split.labels[i];
    const bucket = chosenByClass.get(label);
    if (bucket) {
      if (bucket.length < o.perClass) bucket.push(i);
    } else if (auxSet.has(label) && aux.length < o.auxiliaryCount) {
      aux.push(i);
    }
  }
  for (const [c, rows] of chosenByClass) {
    if (rows.length < o.perClass) {
      throw new ElasticityError(
        `primary class ${describe(c)} has ${rows.length} examples${o.exclude ? ' left' : ''} in the ${o.splitName} split, ${o.perClass} needed`,
        { file: o.file, field: o.perClassField },
      );
    }
  }
  if (aux.length < o.auxiliaryCount) {
    throw new ElasticityError(
      `auxiliary classes ${o.auxiliary.map(describe).join(', ')} have ${aux.length} examples${o.exclude ? ' left' : ''} in the ${o.splitName} split, ${o.auxiliaryCount} needed`,
      { file: o.file, field: o.auxiliaryField },
    );
  }
  return { primary: [...chosenByClass.values()].flat(), auxiliary: aux };
}

/**
 * Selection of method.md section 3 (the authors' own): the first `perClass`
 * examples of each primary class in dataset order (target 1, role primary),
 * the first `auxiliaryCount` examples of the union of the auxiliary classes
 * in dataset order, not balanced (target 0, role auxiliary); pixels scaled
 * to [-1, 1]; rows shuffled with `seed` (which examples are chosen does not
 * depend on it: only their order, i.e. the order of SGD's batches).
 */
export function selectExamples(split: ImageSplit, o: SelectOptions): Dataset {
  const chosen = selectedRows(split, o);
  const rows = [...chosen.primary, ...chosen.auxiliary];
  const primaryCount = chosen.primary.length;
  const order = permutation(rows.length, createRng(o.seed));
  const d = split.shape.reduce((a, b) => a * b, 1);
  const n = rows.length;
  const ds: Dataset = {
    name: o.name,
    inputShape: split.shape,
    scaling: PIXEL_SCALING,
    ids: new Int32Array(n),
    x: new Float32Array(n * d),
    d,
    target: new Float32Array(n),
    classes: new Int16Array(n),
    roles: new Array<Role>(n),
  };
  for (let k = 0; k < n; k++) {
    const pick = order[k];
    const i = rows[pick];
    const isPrimary = pick < primaryCount;
    ds.ids[k] = split.ids[i];
    ds.target[k] = isPrimary ? 1 : 0;
    ds.classes[k] = split.labels[i];
    ds.roles[k] = isPrimary ? 'primary' : 'auxiliary';
    const pixels = split.pixels(i);
    const base = k * d;
    for (let j = 0; j < d; j++) ds.x[base + j] = SCALED[pixels[j]];
  }
  return ds;
}
