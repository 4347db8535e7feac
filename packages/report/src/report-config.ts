import { ElasticityError, assertKnownKeys } from '@elasticity/core';

/** The pipeline's `report` section. */
export interface ReportConfig {
  title?: string;
  /** Bins of geodesic distance for the binned means (synthetic data). */
  bins: number;
  /** Eigen-components of the kernel distance (method.md section 6: 10). */
  components: number;
  /** Largest heatmap grid side; bigger matrices are shown as block means. */
  heatmapCells: number;
}

export const REPORT_DEFAULTS = { bins: 12, components: 10, heatmapCells: 40 } as const;
const KEYS = ['title', 'bins', 'components', 'heatmapCells'];

/** Applies defaults to the `report` section and validates every key. */
export function parseReportConfig(section: unknown, file: string): ReportConfig {
  const s = (section ?? {}) as Record<string, unknown>;
  if (typeof s !== 'object' || Array.isArray(s)) throw new ElasticityError('must be an object', { file, field: 'report' });
  assertKnownKeys(s, KEYS, { file, path: 'report' });
  if (s.title !== undefined && typeof s.title !== 'string') throw new ElasticityError('must be a string', { file, field: 'report.title' });
  const int = (key: 'bins' | 'components' | 'heatmapCells', min: number, max: number): number => {
    const v = s[key] ?? REPORT_DEFAULTS[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new ElasticityError(`must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`, { file, field: `report.${key}` });
    }
    return v;
  };
  const config: ReportConfig = { bins: int('bins', 1, 200), components: int('components', 1, 100), heatmapCells: int('heatmapCells', 2, 200) };
  if (s.title !== undefined) config.title = s.title as string;
  return config;
}
