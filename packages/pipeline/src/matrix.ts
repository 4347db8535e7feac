import { ElasticityError } from '@elasticity/core/light';

/**
 * A pipeline matrix (like DVC's foreach/matrix): named axes, each a list of
 * labelled values; a value is a set of overrides of the pipeline's sections,
 * keyed by dotted JSON path ("train.width", "dataset.primary"). Every
 * combination of one value per axis is a pipeline of its own.
 *
 *   "matrix": {
 *     "pair":  { "5v8": { "dataset.primary": [5, 8], "dataset.auxiliary": [9, 3] },
 *                "4v9": { "dataset.primary": [4, 9], "dataset.auxiliary": [5, 7] } },
 *     "seed":  { "path": "train.seed", "values": [0, 1, 2] }
 *   }
 *
 * The second form sets one path to each value (labels are the values). An
 * override value null deletes the key (a whole section with "train": null).
 */
export interface MatrixValue {
  label: string;
  overrides: [path: string, value: unknown][];
}

export interface MatrixAxis {
  name: string;
  values: MatrixValue[];
}

export interface Combination {
  /** The value labels joined by '.', in axis order: e.g. "quick.5v8.relu-mse". */
  id: string;
  labels: Record<string, string>;
  sections: Record<string, unknown>;
}

export const LABEL = /^[a-z0-9][a-z0-9_-]*$/i;
const MAX_COMBINATIONS = 10_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkPath(path: string, sectionKeys: string[], file: string, field: string): void {
  const [section] = path.split('.');
  if (!/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(path) || !sectionKeys.includes(section)) {
    throw new ElasticityError(`"${path}" is not a dotted path into a section (sections: ${sectionKeys.join(', ')})`, { file, field });
  }
}

function labelOf(value: unknown, index: number): string {
  const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  return LABEL.test(text) ? text : `v${index}`;
}

/** Reads and checks the `matrix` key of a pipeline file. */
export function parseMatrix(raw: unknown, sectionKeys: string[], file: string): MatrixAxis[] {
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    throw new ElasticityError('must be an object of axes: { "axis": { "label": { "section.key": value } } } or { "axis": { "path": "section.key", "values": [...] } }', { file, field: 'matrix' });
  }
  const axes: MatrixAxis[] = [];
  for (const [name, spec] of Object.entries(raw)) {
    const field = `matrix.${name}`;
    if (!LABEL.test(name)) throw new ElasticityError('axis names are letters, digits, "_" or "-"', { file, field });
    if (!isRecord(spec)) throw new ElasticityError('must be an object of labelled values, or { "path", "values" }', { file, field });
    const values: MatrixValue[] = [];
    if ('path' in spec || 'values' in spec) {
      const extra = Object.keys(spec).filter((k) => k !== 'path' && k !== 'values');
      if (extra.length > 0) throw new ElasticityError(`unknown key "${extra[0]}"; this form takes "path" and "values"`, { file, field: `${field}.${extra[0]}` });
      const paths = typeof spec.path === 'string' ? [spec.path] : spec.path;
      if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string')) {
        throw new ElasticityError('must be a dotted path "section.key" or a list of them', { file, field: `${field}.path` });
      }
      for (const p of paths) checkPath(p, sectionKeys, file, `${field}.path`);
      if (!Array.isArray(spec.values) || spec.values.length === 0) throw new ElasticityError('must be a non-empty list', { file, field: `${field}.values` });
      spec.values.forEach((v, i) => values.push({ label: labelOf(v, i), overrides: (paths as string[]).map((p) => [p, v]) }));
    } else {
      for (const [label, overrides] of Object.entries(spec)) {
        const at = `${field}.${label}`;
        if (!LABEL.test(label)) throw new ElasticityError('value labels are letters, digits, "_" or "-"', { file, field: at });
        if (!isRecord(overrides)) throw new ElasticityError('must be an object of overrides { "section.key": value }', { file, field: at });
        for (const p of Object.keys(overrides)) checkPath(p, sectionKeys, file, `${at}.${p}`);
        values.push({ label, overrides: Object.entries(overrides) });
      }
      if (values.length === 0) throw new ElasticityError('has no values', { file, field });
    }
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v.label)) throw new ElasticityError(`two values have the label "${v.label}"`, { file, field });
      seen.add(v.label);
    }
    axes.push({ name, values });
  }
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  if (count > MAX_COMBINATIONS) throw new ElasticityError(`has ${count} combinations, more than ${MAX_COMBINATIONS}`, { file, field: 'matrix' });
  return axes;
}

/** A deep copy of the sections with one dotted-path override applied (null deletes). */
function applyOverride(sections: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = sections;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(node[key])) {
      if (value === null) return;
      node[key] = {};
    }
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === null) delete node[last];
  else node[last] = structuredClone(value);
}

/** Every combination of one value per axis (the first axis varies slowest), with its sections. */
export function expandMatrix(axes: MatrixAxis[], base: Record<string, unknown>): Combination[] {
  let combos: { labels: Record<string, string>; values: MatrixValue[] }[] = [{ labels: {}, values: [] }];
  for (const axis of axes) {
    combos = combos.flatMap((c) => axis.values.map((v) => ({ labels: { ...c.labels, [axis.name]: v.label }, values: [...c.values, v] })));
  }
  return combos.map(({ labels, values }) => {
    const sections = structuredClone(base);
    for (const v of values) for (const [path, value] of v.overrides) applyOverride(sections, path, value);
    return { id: axes.map((a) => labels[a.name]).join('.'), labels, sections };
  });
}

/** Parses "axis=label,axis=label" (a filter on combinations); throws on unknown axes or labels. */
export function parseComboFilter(text: string | undefined, axes: MatrixAxis[], file: string): Record<string, string> {
  if (!text) return {};
  const filter: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [name, label] = part.split('=');
    const axis = axes.find((a) => a.name === name);
    if (!axis) throw new ElasticityError(`no axis "${name}" in the matrix (axes: ${axes.map((a) => a.name).join(', ')})`, { file, field: '--only' });
    if (!axis.values.some((v) => v.label === label)) {
      throw new ElasticityError(`axis "${name}" has no value "${label}" (values: ${axis.values.map((v) => v.label).join(', ')})`, { file, field: '--only' });
    }
    filter[name] = label;
  }
  return filter;
}

export function matchesFilter(combo: Combination, filter: Record<string, string>): boolean {
  return Object.entries(filter).every(([axis, label]) => combo.labels[axis] === label);
}
