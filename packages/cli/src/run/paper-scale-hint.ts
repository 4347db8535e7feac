import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The folder of the committed paper-scale results (tools/suite-runner writes it; `elasticity table` prints it). */
export const PAPER_SCALE_RESULTS = join('results', 'paper-scale');

/**
 * The line `elasticity run` prints under its table: where the paper-scale
 * results of the workspace are and how to print them, or undefined when the
 * folder holds none.
 */
export function paperScaleHint(root = process.cwd()): string | undefined {
  const dir = join(root, PAPER_SCALE_RESULTS);
  if (!existsSync(dir)) return undefined;
  const count = readdirSync(dir).filter((f) => f.endsWith('.json')).length;
  if (count === 0) return undefined;
  return `paper scale (the paper's widths and epochs): ${count} finished combination${count === 1 ? '' : 's'} in ${PAPER_SCALE_RESULTS}/, \`npx elasticity table ${PAPER_SCALE_RESULTS}\` prints them`;
}
