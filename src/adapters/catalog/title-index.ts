/**
 * Finds catalog services named in an incident title.
 *
 * Names and aliases match as whole words, case-insensitively. Anything that is not a letter or a digit
 * separates words, so "Checkout returns 500s", "checkout-api down" and "(checkout)" all name `checkout`,
 * while "prepayments" does not name `payments`. Where a longer name or alias covers a shorter one
 * ("checkout api" vs "checkout"), the longer one wins, leftmost first.
 *
 * One Map from word sequence to value, built once; a lookup tokenises the title and probes at most
 * `longest` n-grams per word, so a 2,000-service catalog costs the same as a 5-service one.
 */

const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** The words of a text: lowercased, split on anything that is not a letter or digit. */
export function wordsOf(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().split(SEPARATORS).filter(Boolean);
}

/** The lookup key of a name, alias or query: its words joined by one space; '' when it has no words. */
export const wordKey = (text: string): string => wordsOf(text).join(' ');

export class TitleIndex<T> {
  private readonly byKey = new Map<string, T>();
  /** first words of multi-word keys: other words skip the n-gram probes entirely */
  private readonly starts = new Set<string>();
  private longest = 1;

  /** Adds a key; the caller has already refused duplicates, so a second add of a key is a bug. */
  add(text: string, value: T): void {
    const words = wordsOf(text);
    const key = words.join(' ');
    if (!key) throw new Error(`"${text}" has no words to match`);
    if (this.byKey.has(key)) throw new Error(`duplicate key "${key}"`);
    this.byKey.set(key, value);
    if (words.length > 1) {
      this.starts.add(words[0]!);
      this.longest = Math.max(this.longest, words.length);
    }
  }

  /** The value whose key has exactly the words of `text`, or undefined. */
  get(text: string): T | undefined {
    return this.byKey.get(wordKey(text));
  }

  /** Distinct values named in `title`, in order of first mention. */
  match(title: string): T[] {
    const words = wordsOf(title);
    const found: T[] = [];
    for (let i = 0; i < words.length; ) {
      let used = 1;
      let hit: T | undefined;
      const first = words[i]!;
      if (this.starts.has(first)) {
        for (let n = Math.min(this.longest, words.length - i); n > 1 && hit === undefined; n--) {
          hit = this.byKey.get(words.slice(i, i + n).join(' '));
          if (hit !== undefined) used = n;
        }
      }
      if (hit === undefined) hit = this.byKey.get(first);
      if (hit !== undefined && !found.includes(hit)) found.push(hit);
      i += used;
    }
    return found;
  }
}
