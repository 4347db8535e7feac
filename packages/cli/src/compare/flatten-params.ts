/**
 * Pipeline sections as dotted JSON paths (`train.lr`, `cluster.methods`):
 * objects are walked key by key; arrays and scalars are leaves compared as
 * whole JSON values. An empty object is a leaf too, since a present but
 * empty optional section (e.g. `"ntk": {}`) switches its stage on.
 */
export function flattenParams(sections: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (value: unknown, path: string): void => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`);
      return;
    }
    out.set(path, value);
  };
  for (const [key, value] of Object.entries(sections)) walk(value, `${prefix}${key}`);
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Keys of a pipeline file that are not stage settings. */
export const NON_PARAM_KEYS = ['$schema', 'description'];

/** The sections of a pipeline file, without `$schema` and `description`. */
export function pipelineSections(file: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(file).filter(([key]) => !NON_PARAM_KEYS.includes(key)));
}
