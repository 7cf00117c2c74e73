/**
 * The sandbox's records (its local Slack workspace), kept as JSON text by key in the sandbox's own database.
 * It shares the connection the sandbox app opened on SANDBOX_DATABASE_URL, and brings its table up to date
 * with its own migrations, recorded in their own table, so Muster's migrations and schema never include it.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { packageRoot } from '../package-root.js';
import { sandboxWorkspace } from './workspace-schema.js';

/** Where drizzle-kit writes the sandbox's migrations (the package's drizzle.config.ts). */
export const sandboxMigrationsFolder = (): string => join(packageRoot(), 'migrations');

/** The table recording which sandbox migrations ran (Muster's own are in `__drizzle_migrations`). */
export const SANDBOX_MIGRATIONS_TABLE = '__sandbox_migrations';

export class WorkspaceStore {
  private readonly db: BetterSQLite3Database;

  /** Migrates the sandbox's table on `client` (the sandbox database); throws when it cannot. */
  constructor(client: Database.Database) {
    this.db = drizzle({ client });
    migrate(this.db, {
      migrationsFolder: sandboxMigrationsFolder(),
      migrationsTable: SANDBOX_MIGRATIONS_TABLE,
    });
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
}
