/**
 * Opens the SQLite database (file and folder created), sets WAL, secure_delete and a busy timeout, applies
 * migrations. secure_delete makes SQLite overwrite deleted and replaced content with zeros, so a message
 * deleted in Slack or a redacted entry leaves the file's bytes too, not only the rows.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectRoot } from '../project-root.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const migrationsFolder = (): string => join(projectRoot(), 'migrations');

export interface OpenOptions {
  /** ms to wait for another writer's lock before SQLITE_BUSY */
  busyTimeoutMs?: number;
  migrate?: boolean;
}

/** Opens (creating when needed) and migrates the database at `file`. */
export function openDb(file: string, opts: OpenOptions = {}): Db {
  const path = file.replace(/^sqlite:(\/\/)?/, '');
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const client = new Database(path);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma('secure_delete = ON');
  client.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  const db = drizzle({ client, schema }) as Db;
  if (opts.migrate !== false) migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
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
