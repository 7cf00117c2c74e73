/**
 * A database as an earlier release left it: the shipped migrations up to and including `lastTag`, applied by
 * drizzle's own migrator, so that a test can store rows in the old shape and then migrate to today's.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { migrationsFolder } from '../../src/adapters/store/db.js';

/** Creates the SQLite file `file` migrated through `lastTag` (e.g. `0002_sandbox`); returns it open. */
export function databaseMigratedThrough(file: string, lastTag: string): Database.Database {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const upTo = journal.entries.findIndex((e) => e.tag === lastTag) + 1;
  if (upTo === 0) throw new Error(`no migration ${lastTag}`);
  const older = mkdtempSync(join(dirname(file), 'migrations-through-'));
  mkdirSync(join(older, 'meta'));
  const entries = journal.entries.slice(0, upTo);
  for (const e of entries)
    copyFileSync(join(migrationsFolder(), `${e.tag}.sql`), join(older, `${e.tag}.sql`));
  writeFileSync(join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  const client = new Database(file);
  migrate(drizzle({ client }), { migrationsFolder: older });
  return client;
}
