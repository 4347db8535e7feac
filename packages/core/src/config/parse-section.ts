import type { z } from 'zod';
import { ElasticityError } from '../errors.ts';
import { suggestName, unknownKeyError } from './config-keys.ts';
import { describeExpected, fixedStrings, formatValue } from './describe-expected.ts';
import { defOf, objectKeys, schemaAt, unwrap } from './schema-walk.ts';

/** A JSON path as messages show it: section "cluster", path ["methods", 2, "input"] -> "cluster.methods[2].input". */
export function jsonPath(section: string, path: readonly PropertyKey[]): string {
  let out = section;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

type RawIssue = z.core.$ZodRawIssue & {
  path?: PropertyKey[];
  schema?: z.core.$ZodType;
  issues?: Array<{ message: string }>;
};

function isSchema(x: unknown): x is z.core.$ZodType {
  return typeof x === 'object' && x !== null && '_zod' in x && typeof (x as z.core.$ZodType)._zod.def?.type === 'string';
}

function expectation(expected: string, input: unknown): string {
  return input === undefined ? `is required: ${expected}` : `must be ${expected}, got ${formatValue(input)}`;
}

/**
 * The message of an issue that its schema gave none: what the value must be
 * (type, range, allowed values: from the schema that raised the issue, for a
 * failed check the schema owning it) and what it was.
 */
function expectationMessage(iss: RawIssue): string | undefined {
  if (iss.code === 'unrecognized_keys' || iss.code === 'custom') return undefined;
  if (iss.code === 'invalid_key') return iss.issues?.[0]?.message;
  const raiser = iss.schema ?? (isSchema(iss.inst) ? iss.inst : undefined);
  const message = expectation(raiser ? describeExpected(raiser) : 'a valid value', iss.input);
  if (iss.code !== 'invalid_value' || typeof iss.input !== 'string') return message;
  const suggestion = suggestName(iss.input, iss.values.filter((v): v is string => typeof v === 'string'));
  return suggestion ? `${message} (did you mean "${suggestion}"?)` : message;
}

/** An option's issues say only that the value is not of that option's kind (wrong type or not its literal). */
function isKindMismatch(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'));
}

/**
 * A failed union whose value is of exactly one option's kind (e.g. a list
 * where the options are a name or a list of names) is reported as that
 * option's first issue, at its own path (`ntk.kind[1]`), not as the union.
 */
function throughUnions(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  let current = issue;
  for (let depth = 0; depth < 16 && current.code === 'invalid_union'; depth++) {
    const fitting = current.errors.filter((errors) => errors.length > 0 && !isKindMismatch(errors));
    if (fitting.length !== 1) break;
    const inner = fitting[0].find((i) => i.code === 'unrecognized_keys') ?? fitting[0][0];
    current = { ...inner, path: [...current.path, ...inner.path] };
  }
  return current;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * Parses one section of a pipeline file with its zod schema. A missing (or
 * null) section is the empty object, so the schema's defaults apply. The
 * first problem becomes ONE ElasticityError naming the file and the JSON path
 * (`train.epochs`, `cluster.methods[2]`); its message says what was expected,
 * with the allowed values or range, and what was given. An unknown key is
 * reported before any other problem, with the closest allowed key.
 */
export function parseSection<T>(schema: z.ZodType<T>, value: unknown, where: { file: string; section: string }): T {
  const input = value ?? {};
  const result = schema.safeParse(input, { error: (iss) => expectationMessage(iss as RawIssue) });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const issue = throughUnions(issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]);
  if (issue.code === 'unrecognized_keys') {
    const allowed = objectKeys(schemaAt(schema, issue.path)) ?? [];
    throw unknownKeyError(issue.keys[0], allowed, { file: where.file, path: jsonPath(where.section, issue.path) });
  }
  let message = issue.message;
  // A value whose schema is a union ("auto" or an integer) is told every option, not only the one zod tried.
  const atPath = schemaAt(schema, issue.path);
  const union = atPath && defOf(unwrap(atPath));
  if (atPath && union && issue.code !== 'custom' && union.type === 'union' && union.error === undefined) {
    const given = valueAt(input, issue.path);
    message = expectation(describeExpected(atPath), given);
    const suggestion = typeof given === 'string' ? suggestName(given, fixedStrings(atPath)) : undefined;
    if (suggestion) message += ` (did you mean "${suggestion}"?)`;
  }
  throw new ElasticityError(message, { file: where.file, field: jsonPath(where.section, issue.path) });
}

/** A stage's `parse<Stage>Config(section, file)`, carrying the section name and the schema it parses with. */
export interface SectionParser<T> {
  (section: unknown, file: string): T;
  readonly section: string;
  readonly schema: z.ZodType<T>;
}

/** The parse function of one pipeline section (see parseSection), with `.section` and `.schema` for composing the whole pipeline's schema. */
export function sectionParser<T>(section: string, schema: z.ZodType<T>): SectionParser<T> {
  const parse = (value: unknown, file: string): T => parseSection(schema, value, { file, section });
  return Object.assign(parse, { section, schema });
}
