import { closest, distance } from 'fastest-levenshtein';
import { ElasticityError } from './errors.ts';

/** The allowed name closest to `name`, when it is close enough to be a likely typo. */
export function suggestName(name: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const best = closest(name, allowed as string[]);
  const d = distance(name.toLowerCase(), best.toLowerCase());
  return d <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * Rejects any key of a config object that is not allowed, naming the file,
 * the JSON path, the allowed keys and the closest one ("did you mean ...?").
 * `path` is the object's JSON path, e.g. "train" or "cluster.methods[2]".
 */
export function assertKnownKeys(value: object, allowed: readonly string[], where: { file: string; path: string }): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const suggestion = suggestName(key, allowed);
    throw new ElasticityError(
      `unknown key${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed: ${allowed.join(', ')}`,
      { file: where.file, field: `${where.path}.${key}` },
    );
  }
}
