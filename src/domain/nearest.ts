/** Levenshtein distance; small inputs only (command words, service names). */
export function distance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidate nearest to `word`, or null when none is plausibly meant (more than a third different). */
export function closest(word: string, candidates: readonly string[]): string | null {
  return nearestMany(word, candidates, 1)[0] ?? null;
}

/** Up to `limit` plausible candidates, nearest first; prefixes count as near. */
export function nearestMany(word: string, candidates: readonly string[], limit = 3): string[] {
  const w = word.toLowerCase();
  const scored = candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const d = lc.startsWith(w) || w.startsWith(lc) ? 0.5 : distance(w, lc);
      return { c, d };
    })
    .filter(({ c, d }) => d <= Math.max(2, Math.ceil(Math.max(c.length, w.length) / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, limit).map((s) => s.c);
}
