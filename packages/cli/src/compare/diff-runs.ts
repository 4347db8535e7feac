import { stableStringify } from '@elasticity/core';
import { isTimingMetric } from './flatten-metrics.ts';
import type { MetricValue } from './flatten-metrics.ts';

/** One param in A and B; a side is undefined where the run does not have it. */
export interface ParamDiff {
  path: string;
  a: unknown;
  b: unknown;
}

/** One metric in A and B, with B − A where both are numbers (else null). */
export interface MetricDiff {
  path: string;
  a: MetricValue | undefined;
  b: MetricValue | undefined;
  change: number | null;
}

/** Paths of both maps: A's order, then those only in B in B's order. */
function unionKeys(a: Map<string, unknown>, b: Map<string, unknown>): string[] {
  return [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
}

/** Whether two JSON values differ (objects compared whatever their key order; absent differs from everything). */
function differs(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a !== b;
  return stableStringify(a) !== stableStringify(b);
}

/** Params that differ (each JSON value compared whole), or all of them with `all`. */
export function diffParams(a: Map<string, unknown>, b: Map<string, unknown>, all = false): ParamDiff[] {
  return unionKeys(a, b)
    .map((path) => ({ path, a: a.get(path), b: b.get(path) }))
    .filter((d) => all || differs(d.a, d.b));
}

/**
 * Metrics that differ, or all of them with `all`. Wall-clock metrics
 * (training.seconds) differ on every run: they are listed only with `all`.
 */
export function diffMetrics(a: Map<string, MetricValue>, b: Map<string, MetricValue>, all = false): MetricDiff[] {
  return unionKeys(a, b)
    .map((path) => {
      const va = a.get(path);
      const vb = b.get(path);
      const change = typeof va === 'number' && typeof vb === 'number' ? vb - va : null;
      return { path, a: va, b: vb, change };
    })
    .filter((d) => all || (!isTimingMetric(d.path) && differs(d.a, d.b)));
}
