/**
 * Fresh, migrated PostgreSQL databases for the tests: one per app of the end-to-end tier when the tier runs on
 * PostgreSQL (the `e2e-postgres` project: MUSTER_TEST_ENGINE=postgres, the server from pg-global-setup.ts), and
 * one per test of the store contract (test/contract/pg-store.test.ts).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The migrated database every test database is copied from. */
export const TEMPLATE_DATABASE = 'muster_template';

/** True when this test file runs in the PostgreSQL project. */
export const onPostgres = (): boolean => process.env.MUSTER_TEST_ENGINE === 'postgres';

/**
 * Copies of `template` on the server at `serverUrl` (its admin URL, database `postgres`), made `ahead` at a
 * time before they are asked for. Copying a template is a few files, where migrating takes most of a second,
 * but it still takes the server 150–250 ms: made ahead, that work overlaps the tests' own rather than
 * standing before each app. Returns the function that hands out the next copy's URL.
 *
 * A copy that fails is reported to the test that asks for it. The copies of one worker that are never asked
 * for are left on the throwaway server, which is removed with them.
 */
export function templateCopies(serverUrl: string, template: string, ahead = 2): () => Promise<string> {
  // Connections close once idle and never keep a finished test process alive.
  const admin = new pg.Pool({
    connectionString: serverUrl,
    max: ahead,
    idleTimeoutMillis: 1000,
    allowExitOnIdle: true,
  });
  // the server stopping at the end of the run drops idle connections: nothing to report
  admin.on('error', () => {});
  const copy = async (): Promise<string> => {
    const name = `t_${randomUUID().replaceAll('-', '')}`;
    await admin.query(`create database "${name}" template "${template}"`);
    return serverUrl.replace(/\/postgres$/, `/${name}`);
  };
  const made: Promise<string>[] = [];
  return () => {
    while (made.length <= ahead) {
      const next = copy();
      // a copy not yet asked for has no one awaiting it; the one who asks gets the failure
      next.catch(() => {});
      made.push(next);
    }
    return made.shift()!;
  };
}

let nextCopy: (() => Promise<string>) | null = null;

/** An empty migrated database on the test server of the PostgreSQL project; returns its URL. */
export function freshPgDatabase(): Promise<string> {
  nextCopy ??= templateCopies(inject('pgUrl'), TEMPLATE_DATABASE);
  return nextCopy();
}
