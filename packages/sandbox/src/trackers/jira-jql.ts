/**
 * The little JQL the fake Jira understands: `field = value` clauses joined by AND, where a value is a bare word
 * or a double-quoted string with backslash escapes (`\"`, `\\`), as Jira reads them. Enough to check that the
 * adapter quotes hostile values so they stay one value; anything else is an error, as Jira would answer 400.
 */

export interface JqlClause {
  field: string;
  value: string;
}

/** Splits `project = "OPS" AND labels = "x"` into clauses; throws an Error with Jira's wording on bad JQL. */
export function parseJql(jql: string): JqlClause[] {
  const clauses: JqlClause[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < jql.length && /\s/.test(jql[i] ?? '')) i++;
  };
  const word = (): string => {
    const start = i;
    while (i < jql.length && /[\w.-]/.test(jql[i] ?? '')) i++;
    return jql.slice(start, i);
  };
  const fail = (what: string): never => {
    throw new Error(`Error in the JQL Query: ${what} (line 1, character ${i + 1})`);
  };
  for (;;) {
    skipSpace();
    const field = word();
    if (!field) fail('Expecting a field name');
    skipSpace();
    if (jql[i] !== '=') fail(`Expecting operator '=' after '${field}'`);
    i++;
    skipSpace();
    let value = '';
    if (jql[i] === '"') {
      i++;
      let closed = false;
      while (i < jql.length) {
        const c = jql[i] ?? '';
        if (c === '\\') {
          const next = jql[i + 1];
          if (next === undefined) fail('The quoted string has an unfinished escape');
          value += next;
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) fail('The quoted string has not been completed');
    } else {
      value = word();
      if (!value) fail(`Expecting a value after '${field} ='`);
    }
    clauses.push({ field: field.toLowerCase(), value });
    skipSpace();
    if (i >= jql.length) return clauses;
    const and = word();
    if (and.toUpperCase() !== 'AND') fail(`Expecting 'AND' but got '${and || jql[i]}'`);
  }
}
