/**
 * The one error type a user sees for bad input or an impossible option.
 * Its message always names the file (or option source) and the field.
 */
export class ElasticityError extends Error {
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(message: string, where: { file?: string; field?: string; cause?: unknown } = {}) {
    const prefix = [where.file, where.field].filter((p) => p !== undefined && p !== '').join(': ');
    super(prefix ? `${prefix}: ${message}` : message, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = 'ElasticityError';
    this.file = where.file;
    this.field = where.field;
  }
}

/** Throws an ElasticityError unless `condition` holds. */
export function check(condition: unknown, message: string, where: { file?: string; field?: string } = {}): asserts condition {
  if (!condition) throw new ElasticityError(message, where);
}
