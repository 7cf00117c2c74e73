/**
 * Opens the SQLite database (file and folder created), sets WAL, secure_delete and a busy timeout, applies
 * migrations. secure_delete makes SQLite overwrite deleted and replaced content with zeros, so a message
 * deleted in Slack or a redacted entry leaves the file's bytes too, not only the rows.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { projectRoot } from '../project-root.js';
import { newestInJournal } from './migration-journal.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** SQLite's migrations, made by drizzle-kit (drizzle.config.ts); PostgreSQL's are beside them in migrations/postgres. */
export const migrationsFolder = (): string => join(projectRoot(), 'migrations', 'sqlite');

export interface OpenOptions {
  /** ms to wait for another writer's lock before SQLITE_BUSY */
  busyTimeoutMs?: number;
  migrate?: boolean;
}

/** The file a DATABASE_URL names: `sqlite:data/muster.db` and `sqlite://data/muster.db` are `data/muster.db`. */
export const sqlitePath = (file: string): string => file.replace(/^sqlite:(\/\/)?/, '');

/** Opens (creating when needed) and migrates the database at `file`. */
export function openDb(file: string, opts: OpenOptions = {}): Db {
  const path = sqlitePath(file);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const client = new Database(path);
  // first: another process opening the same fresh file at this moment may hold the lock WAL needs
  client.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma('secure_delete = ON');
  const db = drizzle({ client, schema }) as Db;
  if (opts.migrate !== false) migrateLocked(client, migrationsFolder());
  return db;
}

const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * Applies the pending drizzle-kit migrations under SQLite's write lock (an immediate transaction), so that
 * several processes starting at once on one file apply each migration once: the others wait for the lock
 * (busy_timeout), then find nothing pending. Without that, each read "nothing applied yet" before the first
 * had committed, and all but one failed on `CREATE TABLE … already exists`. The bookkeeping is drizzle's own
 * (`__drizzle_migrations`: hash and folder time of each migration applied), so `drizzle-kit` and this agree.
 * A database already up to date takes no lock at all.
 */
function migrateLocked(client: Database.Database, folder: string): void {
  const lastApplied = (): number | null => {
    const table = client
      .prepare("select 1 from sqlite_master where type = 'table' and name = ?")
      .get(MIGRATIONS_TABLE);
    if (!table) return null;
    const at = client
      .prepare(`select created_at from "${MIGRATIONS_TABLE}" order by created_at desc limit 1`)
      .pluck()
      .get();
    return at === undefined || at === null ? null : Number(at);
  };
  const before = lastApplied();
  // Up to date when the newest migration the journal lists is applied: the migrations themselves (every SQL
  // file, read and hashed) are read only when one is pending.
  if (before !== null && before >= newestInJournal(folder)) return;
  const migrations = readMigrationFiles({ migrationsFolder: folder });

  client.exec('BEGIN IMMEDIATE');
  try {
    client.exec(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    );
    const last = lastApplied();
    const record = client.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`);
    for (const m of migrations) {
      if (last !== null && last >= m.folderMillis) continue;
      for (const statement of m.sql) if (statement.trim()) client.exec(statement);
      record.run(m.hash, m.folderMillis);
    }
    client.exec('COMMIT');
  } catch (e) {
    if (client.inTransaction) client.exec('ROLLBACK');
    throw e;
  }
}

/** Applies pending migrations to the database at `file` and closes it. */
export function migrateFile(file: string): void {
  const db = openDb(file);
  db.$client.close();
}

/** How long emptying the log waits for a reader or another checkpoint, per try: it runs on the event loop. */
const ERASE_WAIT_MS = 20;
const ERASE_TRIES = 5;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Moves the write-ahead log into the database file and truncates the log to zero bytes. The log keeps every
 * page version written since it was last reset, so text blanked in the database file can still be read in it
 * until then. SQLite refuses at once while another connection checkpoints (the background checkpointer), and
 * waits for readers on older snapshots: both are retried briefly, never for long, since this blocks the event
 * loop. False when the log could not be emptied (try again later).
 */
export function eraseLog(db: Db): boolean {
  const client = db.$client;
  const busyTimeout = client.pragma('busy_timeout', { simple: true }) as number;
  client.pragma(`busy_timeout = ${ERASE_WAIT_MS}`);
  try {
    for (let attempt = 1; attempt <= ERASE_TRIES; attempt++) {
      const [row] = client.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (row?.busy === 0) return true;
      if (attempt < ERASE_TRIES) Atomics.wait(pause, 0, 0, ERASE_WAIT_MS);
    }
    return false;
  } finally {
    client.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
