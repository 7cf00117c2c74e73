/** Counts in words: `1 service`, `2 services`, `0 entries`, so no message says "1 minutes". */

/** `n` and the noun in the form the count takes (`other` defaults to `one` + `s`). */
export const counted = (n: number, one: string, other = `${one}s`): string => `${n} ${n === 1 ? one : other}`;
