import type { z } from 'zod';

/** The parts of a zod schema's definition that describing and walking read. */
export interface SchemaDef {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  getter?: () => z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  catchall?: z.core.$ZodType;
  element?: z.core.$ZodType;
  keyType?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  items?: z.core.$ZodType[];
  rest?: z.core.$ZodType | null;
  options?: z.core.$ZodType[];
  left?: z.core.$ZodType;
  right?: z.core.$ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  format?: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  /** The schema's own message function (z.enum(..., { error })). */
  error?: unknown;
}

export interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  length?: number;
  format?: string;
  pattern?: RegExp;
}

export function defOf(schema: z.core.$ZodType): SchemaDef {
  return schema._zod.def as unknown as SchemaDef;
}

/** Wrapper types whose value is validated by an inner schema (defaults and optional keys do not change what is expected). */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']);

/** The schema that validates a value: optional/default/readonly wrappers removed; a pipe's input side; a lazy schema's target. */
export function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let s = schema;
  for (let guard = 0; guard < 64; guard++) {
    const def = defOf(s);
    if (WRAPPERS.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else return s;
  }
  return s;
}

/** The schema of one step down: an object's key, a list's item, a record's value. Own keys only ("constructor" is not a key). */
export function childSchema(schema: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined {
  const s = unwrap(schema);
  const def = defOf(s);
  switch (def.type) {
    case 'object':
      if (typeof key === 'string' && def.shape && Object.hasOwn(def.shape, key)) return def.shape[key];
      return def.catchall && defOf(def.catchall).type !== 'never' ? def.catchall : undefined;
    case 'array':
      return typeof key === 'number' ? def.element : undefined;
    case 'record':
      return typeof key === 'string' ? def.valueType : undefined;
    case 'tuple':
      return typeof key === 'number' ? def.items?.[key] ?? def.rest ?? undefined : undefined;
    case 'union':
      for (const option of def.options ?? []) {
        const child = childSchema(option, key);
        if (child) return child;
      }
      return undefined;
    case 'intersection':
      return (def.left && childSchema(def.left, key)) ?? (def.right && childSchema(def.right, key));
    default:
      return undefined;
  }
}

/** The schema at a JSON path below `root`, or undefined where the path leaves the schema. */
export function schemaAt(root: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let s: z.core.$ZodType | undefined = root;
  for (const key of path) {
    if (!s) return undefined;
    s = childSchema(s, key);
  }
  return s;
}

/** The keys an object schema allows (after unwrapping), or undefined when `schema` is not an object schema. */
export function objectKeys(schema: z.core.$ZodType | undefined): string[] | undefined {
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}
