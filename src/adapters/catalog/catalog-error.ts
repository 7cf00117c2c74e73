/** A catalog that cannot be used: unreadable, broken YAML or invalid content. */
export class CatalogError extends Error {
  /**
   * @param problems every problem found, one line each (`file:line:col: path: what was expected`);
   * the message is the first of them plus how many more there are
   */
  constructor(readonly problems: readonly string[]) {
    const more = problems.length - 1;
    super(
      more > 0
        ? `${problems[0]} (and ${more} more problem${more === 1 ? '' : 's'})`
        : (problems[0] ?? 'invalid catalog'),
    );
    this.name = 'CatalogError';
  }
}
