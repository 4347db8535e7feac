/**
 * Metadata carried by every Arrow file a stage writes (schema-level
 * key/value pairs). `extra` holds the contract's own keys (kind, eta, ...).
 */
export interface StageMeta {
  stage: string;
  schemaVersion: number;
  /** The stage's own parameters, as given in the pipeline section. */
  params: Record<string, unknown>;
  seed: number | null;
  /** SHA-256 of each input file, keyed by the path the stage read. */
  inputs: Record<string, string>;
  /** Contract-specific keys. Values are strings (JSON where structured). */
  extra: Record<string, string>;
}

const RESERVED = ['stage', 'schema_version', 'params', 'seed', 'inputs'];

export function encodeMeta(meta: StageMeta): Map<string, string> {
  const map = new Map<string, string>([
    ['stage', meta.stage],
    ['schema_version', String(meta.schemaVersion)],
    ['params', JSON.stringify(meta.params)],
    ['seed', meta.seed === null ? 'null' : String(meta.seed)],
    ['inputs', JSON.stringify(meta.inputs)],
  ]);
  for (const [key, value] of Object.entries(meta.extra)) {
    if (RESERVED.includes(key)) throw new Error(`metadata key "${key}" is reserved`);
    map.set(key, value);
  }
  return map;
}

/** Decodes metadata; returns the name of the first missing or malformed key instead of throwing. */
export function decodeMeta(map: Map<string, string>): StageMeta | { missing: string } {
  for (const key of RESERVED) if (!map.has(key)) return { missing: key };
  const schemaVersion = Number(map.get('schema_version'));
  if (!Number.isInteger(schemaVersion)) return { missing: 'schema_version' };
  let params: Record<string, unknown>;
  let inputs: Record<string, string>;
  try {
    params = JSON.parse(map.get('params')!);
    inputs = JSON.parse(map.get('inputs')!);
  } catch {
    return { missing: 'params/inputs (not JSON)' };
  }
  const seedText = map.get('seed')!;
  const seed = seedText === 'null' ? null : Number(seedText);
  if (seed !== null && !Number.isFinite(seed)) return { missing: 'seed' };
  const extra: Record<string, string> = {};
  for (const [key, value] of map) if (!RESERVED.includes(key)) extra[key] = value;
  return { stage: map.get('stage')!, schemaVersion, params, seed, inputs, extra };
}
