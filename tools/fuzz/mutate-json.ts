import type { Rng } from '@elasticity/core';

const ODD_VALUES: unknown[] = [null, -1, 0, 0.5, 1e12, -1e-300, '', 'x', 'NaN', true, [], {}, [null], [1, 1], { '': 1 }, 2 ** 31, 'relative', 'kmeans'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Paths to every value inside a JSON document. */
function paths(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

/**
 * One structural change to a valid JSON document: a value replaced by one of
 * another type or range, a key removed, an unknown (or misspelt) key added.
 */
export function mutateJson(bytes: Uint8Array, rng: Rng): { bytes: Uint8Array; applied: string[] } {
  const doc = JSON.parse(new TextDecoder().decode(bytes)) as Json;
  const all = paths(doc).filter((p) => p.length > 0);
  const path = all[rng.int(0, all.length - 1)];
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key as string], doc) as Record<string, Json> | Json[];
  const key = path[path.length - 1];
  const op = rng.int(0, 3);
  let applied: string;
  if (op === 0 || Array.isArray(parent)) {
    (parent as Record<string, Json>)[key as string] = ODD_VALUES[rng.int(0, ODD_VALUES.length - 1)] as Json;
    applied = `set ${path.join('.')}`;
  } else if (op === 1) {
    delete (parent as Record<string, Json>)[key as string];
    applied = `delete ${path.join('.')}`;
  } else if (op === 2) {
    const misspelt = String(key).slice(0, -1) + String(key).slice(-1).toUpperCase() + 'x';
    (parent as Record<string, Json>)[misspelt] = (parent as Record<string, Json>)[key as string];
    applied = `unknown key ${misspelt}`;
  } else {
    (parent as Record<string, Json>)[key as string] = ODD_VALUES[rng.int(0, ODD_VALUES.length - 1)] as Json;
    (parent as Record<string, Json>)['extra' + rng.int(0, 9)] = 1;
    applied = `set+extra ${path.join('.')}`;
  }
  return { bytes: new TextEncoder().encode(JSON.stringify(doc)), applied: [applied] };
}
