/**
 * The upgrade from the sandbox that kept its workspace as a table inside its Muster database
 * (SANDBOX_DATABASE_URL): the first start after it moves that workspace into the state file and drops the
 * table and its migrations record from the Muster database, which from then on holds Muster's schema only.
 * Without it, an upgraded sandbox would keep its incidents but start on a fresh workspace, without the channels
 * and messages those incidents point at.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { sqlitePath } from '../state-file.js';
import { SANDBOX_MIGRATIONS_TABLE, type WorkspaceStore } from './workspace-store.js';

/** The table the workspace was kept in, inside the Muster database. */
const LEGACY_TABLE = 'sandbox_workspace';

interface LegacyRow {
  key: string;
  value: string;
  updated_at: number;
}

/**
 * Moves the workspace kept in the Muster database `databaseFile` (if any) into `store`, unless the store
 * already holds one, then drops the old table; true when there was one. Runs before Muster opens the file.
 */
export function moveLegacyWorkspace(databaseFile: string, store: WorkspaceStore): boolean {
  const path = sqlitePath(databaseFile);
  if (path === ':memory:' || !existsSync(path)) return false;
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // zeros over the dropped pages, as Muster's own connection writes them
    db.pragma('secure_delete = ON');
    const found = db
      .prepare("select name from sqlite_master where type = 'table' and name = ?")
      .get(LEGACY_TABLE);
    if (!found) return false;
    const rows = db.prepare(`select key, value, updated_at from ${LEGACY_TABLE}`).all() as LegacyRow[];
    // the state file first: were the drop to fail, the next start finds the state file already filled
    for (const row of rows) if (store.get(row.key) === null) store.put(row.key, row.value, row.updated_at);
    db.transaction(() => {
      db.exec(`drop table ${LEGACY_TABLE}`);
      db.exec(`drop table if exists ${SANDBOX_MIGRATIONS_TABLE}`);
    })();
    return true;
  } finally {
    db.close();
  }
}
