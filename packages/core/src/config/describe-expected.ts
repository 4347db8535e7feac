import type { z } from 'zod';
import { defOf, unwrap } from './schema-walk.ts';
import type { CheckDef } from './schema-walk.ts';

const PHRASES = new WeakMap<z.core.$ZodType, string>();

/**
 * Names what `schema` accepts in error messages with `phrase` instead of the
 * generated description (e.g. "an integer >= 1" where the generated one
 * would be "a positive integer"). Returns `schema` itself.
 */
export function expectAs<S extends z.core.$ZodType>(schema: S, phrase: string): S {
  PHRASES.set(schema, phrase);
  return schema;
}

/** A value as an error message shows it: strings quoted, NaN as NaN, long values cut. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return typeof value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function checksOf(schema: z.core.$ZodType): CheckDef[] {
  return (defOf(schema).checks ?? []).map((c) => c._zod.def);
}

interface Bounds { lo?: number; loInclusive: boolean; hi?: number; hiInclusive: boolean }

function numberBounds(checks: CheckDef[]): Bounds {
  const b: Bounds = { loInclusive: true, hiInclusive: true };
  for (const c of checks) {
    if (c.check === 'greater_than' && c.value !== undefined && (b.lo === undefined || c.value >= b.lo)) {
      b.lo = c.value;
      b.loInclusive = c.inclusive ?? false;
    }
    if (c.check === 'less_than' && c.value !== undefined && (b.hi === undefined || c.value <= b.hi)) {
      b.hi = c.value;
      b.hiInclusive = c.inclusive ?? false;
    }
  }
  return b;
}

function describeInteger(b: Bounds): string {
  // Integers: an exclusive bound is the next integer inside it.
  const lo = b.lo === undefined ? undefined : b.loInclusive ? Math.ceil(b.lo) : Math.floor(b.lo) + 1;
  const hi = b.hi === undefined ? undefined : b.hiInclusive ? Math.floor(b.hi) : Math.ceil(b.hi) - 1;
  if (lo !== undefined && hi !== undefined) return `an integer in [${lo}, ${hi}]`;
  if (lo === 1) return 'a positive integer';
  if (lo !== undefined) return `an integer >= ${lo}`;
  if (hi !== undefined) return `an integer <= ${hi}`;
  return 'an integer';
}

function describeNumber(b: Bounds): string {
  if (b.lo !== undefined && b.hi !== undefined) {
    return `a number in ${b.loInclusive ? '[' : '('}${b.lo}, ${b.hi}${b.hiInclusive ? ']' : ')'}`;
  }
  if (b.lo === 0 && b.hi === undefined) return b.loInclusive ? 'a non-negative number (>= 0)' : 'a positive number (> 0)';
  if (b.lo !== undefined) return `a number ${b.loInclusive ? '>=' : '>'} ${b.lo}`;
  if (b.hi !== undefined) return `a number ${b.hiInclusive ? '<=' : '<'} ${b.hi}`;
  return 'a number';
}

function lengths(checks: CheckDef[]): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {};
  for (const c of checks) {
    if (c.check === 'min_length' && c.minimum !== undefined) out.min = Math.max(out.min ?? 0, c.minimum);
    if (c.check === 'max_length' && c.maximum !== undefined) out.max = Math.min(out.max ?? Infinity, c.maximum);
    if (c.check === 'length_equals' && c.length !== undefined) out.min = out.max = c.length;
  }
  return out;
}

function describeList(checks: CheckDef[], item: string): string {
  const { min, max } = lengths(checks);
  const each = `(each item ${item})`;
  if (min !== undefined && max !== undefined) return min === max ? `a list of ${min} items ${each}` : `a list of ${min} to ${max} items ${each}`;
  if (min === 1) return `a non-empty list ${each}`;
  if (min !== undefined && min > 1) return `a list of at least ${min} items ${each}`;
  if (max !== undefined) return `a list of at most ${max} items ${each}`;
  return `a list ${each}`;
}

function describeString(checks: CheckDef[]): string {
  const pattern = checks.find((c) => c.check === 'string_format' && c.pattern)?.pattern;
  if (pattern) return `a string matching ${pattern}`;
  const { min } = lengths(checks);
  if (min === 1) return 'a non-empty string';
  if (min !== undefined && min > 1) return `a string of at least ${min} characters`;
  return 'a string';
}

/** The strings among the fixed values a schema or its union options accept ("auto" of "auto" or an integer): candidates for "did you mean". */
export function fixedStrings(schema: z.core.$ZodType): string[] {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => fixedStrings(o));
  return (fixedValues(s) ?? []).filter((v): v is string => typeof v === 'string');
}

/** The values a schema accepts when it accepts only a fixed set (enum, literal, or a union of them). */
function fixedValues(schema: z.core.$ZodType): unknown[] | undefined {
  const def = defOf(schema);
  if (def.type === 'enum' && def.entries) return Object.values(def.entries);
  if (def.type === 'literal' && def.values) return def.values;
  if (def.type === 'union' && def.options) {
    const all = def.options.map((o) => fixedValues(unwrap(o)));
    return all.every((v) => v !== undefined) ? all.flat() as unknown[] : undefined;
  }
  return undefined;
}

/**
 * What a schema accepts, in words for an error message: "a positive
 * integer", "an integer in [1, 64]", "one of mse, bce", "\"auto\" or an
 * integer in [1, 64]", "a non-empty list (each item one of relative, kernelized)".
 */
export function describeExpected(schema: z.core.$ZodType): string {
  const own = PHRASES.get(schema);
  if (own) return own;
  const s = unwrap(schema);
  const phrase = PHRASES.get(s);
  if (phrase) return phrase;
  const def = defOf(s);
  const checks = checksOf(s);
  const fixed = fixedValues(s);
  if (fixed) {
    if (fixed.length === 1) return formatValue(fixed[0]);
    return `one of ${fixed.map((v) => (typeof v === 'string' ? v : formatValue(v))).join(', ')}`;
  }
  switch (def.type) {
    case 'number': {
      const isInt = def.format !== undefined && /int/.test(def.format);
      return isInt ? describeInteger(numberBounds(checks)) : describeNumber(numberBounds(checks));
    }
    case 'string':
      return describeString(checks);
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array':
      return describeList(checks, def.element ? describeExpected(def.element) : 'any value');
    case 'object': {
      const keys = def.shape ? Object.keys(def.shape) : [];
      return keys.length ? `an object with keys ${keys.join(', ')}` : 'an object';
    }
    case 'record':
      return `an object (each value ${def.valueType ? describeExpected(def.valueType) : 'any value'})`;
    case 'union': {
      const parts = (def.options ?? []).map((o) => describeExpected(o));
      return parts.length <= 2 ? parts.join(' or ') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
    }
    case 'any':
    case 'unknown':
      return 'any value';
    case 'never':
      return 'absent (remove it)';
    default:
      return `a valid ${def.type}`;
  }
}

