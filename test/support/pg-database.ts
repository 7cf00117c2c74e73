/**
 * A fresh, migrated PostgreSQL database for one app of the end-to-end tier, when the tier runs on PostgreSQL
 * (the `e2e-postgres` project: MUSTER_TEST_ENGINE=postgres, the server from pg-global-setup.ts).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The migrated database every test database is copied from. */
export const TEMPLATE_DATABASE = 'muster_template';

/** True when this test file runs in the PostgreSQL project. */
export const onPostgres = (): boolean => process.env.MUSTER_TEST_ENGINE === 'postgres';

/** Creates an empty migrated database on the test server; returns its URL. */
export async function freshPgDatabase(): Promise<string> {
  const url = inject('pgUrl');
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // copying a template is a few files, where migrating takes most of a second
    await admin.query(`create database "${name}" template "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  return url.replace(/\/postgres$/, `/${name}`);
}
