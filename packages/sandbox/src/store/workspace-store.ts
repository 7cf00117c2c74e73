/**
 * The sandbox's records (its local Slack workspace), kept as JSON text by key in the sandbox's own state file
 * (state-file.ts), apart from Muster's database. Its table is brought up to date with the sandbox's own
 * migrations (the package's migrations/, made by drizzle-kit), so Muster's schema never includes it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { packageRoot } from '../package-root.js';
import { sqlitePath } from '../state-file.js';
import { sandboxWorkspace } from './workspace-schema.js';

/** Where drizzle-kit writes the sandbox's migrations (the package's drizzle.config.ts). */
export const sandboxMigrationsFolder = (): string => join(packageRoot(), 'migrations');

/** The table recording which sandbox migrations ran (Muster's own are in `__drizzle_migrations`). */
export const SANDBOX_MIGRATIONS_TABLE = '__sandbox_migrations';

export class WorkspaceStore {
  private readonly client: Database.Database;
  private readonly db: BetterSQLite3Database;

  /** Opens (creating it and its folder when needed) and migrates the state file at `file`; throws when it cannot. */
  constructor(file: string) {
    const path = sqlitePath(file);
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    this.client = new Database(path);
    try {
      // A rollback journal rather than a write-ahead log, and deleted content overwritten with zeros: a message
      // deleted in the workspace leaves neither the file nor an old page version in a log beside it (the whole
      // workspace is rewritten on each save, so a log would keep every earlier version until a checkpoint).
      this.client.pragma('secure_delete = ON');
      this.client.pragma('busy_timeout = 5000');
      this.db = drizzle({ client: this.client });
      migrate(this.db, {
        migrationsFolder: sandboxMigrationsFolder(),
        migrationsTable: SANDBOX_MIGRATIONS_TABLE,
      });
    } catch (e) {
      this.client.close();
      throw e;
    }
  }

  /** The stored text under `key`, or null when nothing was stored. */
  get(key: string): string | null {
    return this.db.select().from(sandboxWorkspace).where(eq(sandboxWorkspace.key, key)).get()?.value ?? null;
  }

  /** Stores `value` under `key`, replacing what was there. */
  put(key: string, value: string, at: number): void {
    this.db
      .insert(sandboxWorkspace)
      .values({ key, value, updatedAt: at })
      .onConflictDoUpdate({ target: sandboxWorkspace.key, set: { value, updatedAt: at } })
      .run();
  }

  /** Closes the file; the store is unusable afterwards. */
  close(): void {
    this.client.close();
  }
}
