import type { z } from 'zod';
import { formatValue } from './describe-expected.ts';

/**
 * Run a refinement only when everything else in the value is valid, so a
 * cross-field rule never sees an out-of-range value (zod otherwise runs
 * refinements after range issues): `.superRefine(rule, whenValid)`.
 */
export const whenValid = { when: (payload: z.core.ParsePayload) => payload.issues.length === 0 };

/**
 * A superRefine for lists: rejects an item given twice ("\"ntk\" is listed
 * twice"). `key` says when two items are the same (default: equal JSON);
 * the issue sits at the repeated item's path, or at the list's (`at: 'list'`).
 */
export function distinctItems<T>(options: { key?: (item: T) => string; at?: 'item' | 'list'; message?: (item: T) => string } = {}) {
  const key = options.key ?? ((item: T) => JSON.stringify(item));
  const message = options.message ?? ((item: T) => `${formatValue(item)} is listed twice`);
  return (items: T[], ctx: z.RefinementCtx<T[]>): void => {
    const seen = new Set<string>();
    for (let i = 0; i < items.length; i++) {
      const k = key(items[i]);
      if (seen.has(k)) {
        ctx.addIssue({ code: 'custom', message: message(items[i]), path: options.at === 'list' ? [] : [i], input: items });
        return;
      }
      seen.add(k);
    }
  };
}
