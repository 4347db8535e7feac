const RULES = new Intl.PluralRules('en');

/**
 * A count with its noun in the right number: plural(1, 'seed') is "1 seed",
 * plural(5, 'seed') "5 seeds", plural(2, 'matrix', 'matrices') "2 matrices".
 * Every count the reports write goes through here.
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${RULES.select(count) === 'one' ? singular : pluralForm}`;
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
