/** Counts in words, with the locale's plural rules ("1 member", "2 members", "0 replies"). */
const rules = new Map();

/** `n` followed by the `one` or `other` form of its noun, as the locale's plural rules choose. */
export function counted(n, one, other, locale = 'en-US') {
  if (!rules.has(locale)) rules.set(locale, new Intl.PluralRules(locale));
  return `${n} ${rules.get(locale).select(n) === 'one' ? one : other}`;
}
