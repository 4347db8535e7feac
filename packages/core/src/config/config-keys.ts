import { closest, distance } from 'fastest-levenshtein';
import { ElasticityError } from '../errors.ts';

/** The allowed name closest to `name`, when it is close enough to be a likely typo. */
export function suggestName(name: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const best = closest(name, allowed as string[]);
  const d = distance(name.toLowerCase(), best.toLowerCase());
  return d <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * The error for a key that is not allowed: names the file, the key's JSON
 * path, the closest allowed key ("did you mean ...?") and the allowed keys.
 * `path` is the object's JSON path, e.g. "train" or "cluster.methods[2]".
 */
export function unknownKeyError(key: string, allowed: readonly string[], where: { file: string; path: string }): ElasticityError {
  const suggestion = suggestName(key, allowed);
  return new ElasticityError(
    `unknown key${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed: ${allowed.join(', ')}`,
    { file: where.file, field: `${where.path}.${key}` },
  );
}
