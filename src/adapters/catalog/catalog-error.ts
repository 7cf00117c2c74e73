/** A catalog that cannot be used: unreadable, broken YAML or invalid content. */
export class CatalogError extends Error {
  /**
   * @param problems every problem found, one line each (`file:line:col: path: what was expected`);
   * the message is the problem itself when there is one, else how many there are and each on its own line,
   * so that whoever reads it can fix them all in one go
   */
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length > 1
        ? `the catalog has ${problems.length} problems:\n${problems.map((p) => `  ${p}`).join('\n')}`
        : (problems[0] ?? 'invalid catalog'),
    );
    this.name = 'CatalogError';
  }
}
