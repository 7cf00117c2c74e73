/**
 * The database a benchmarked Muster runs on, SQLite or PostgreSQL, and the reads that check what it stored.
 * SQLite is a fresh file in the measurement's temp folder; PostgreSQL a fresh, empty database on the bench's
 * throwaway cluster (Muster migrates it at start, as it does a new installation). The reads take SQL both
 * engines understand: `meta->>'key'` reads a key of the JSON text on SQLite (3.38 and later) and of the jsonb on
 * PostgreSQL.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { PgCluster } from '../test/support/pg-cluster.js';

/** Where a measurement's database is made: a SQLite file, or a database on a running PostgreSQL cluster. */
export type BenchEngine = { name: 'SQLite' } | { name: 'PostgreSQL'; cluster: PgCluster };

export const sqlite: BenchEngine = { name: 'SQLite' };

/** Reads a benchmarked server's database beside it (SQLite in WAL mode lets a reader in). */
export interface DatabaseReader {
  /** The first column of the first row as a number: a count(*), which node-postgres returns as a string (bigint). */
  count(sql: string): Promise<number>;
  rows<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/** A fresh database for one measurement, named `name`; returns its DATABASE_URL. Fails when the server refuses. */
export async function freshDatabase(engine: BenchEngine, dir: string, name: string): Promise<string> {
  if (engine.name === 'SQLite') return join(dir, `${name}.db`);
  const admin = new pg.Client({ connectionString: engine.cluster.url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return engine.cluster.url.replace(/\/postgres$/, `/${name}`);
}

/** Opens a reader on a DATABASE_URL (a SQLite file that exists, or a postgres:// URL). */
export async function openReader(url: string): Promise<DatabaseReader> {
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    const db = new Database(url, { readonly: true });
    return {
      count: async (sql) => Number(Object.values(db.prepare(sql).get() as Record<string, unknown>)[0]),
      rows: async <T>(sql: string) => db.prepare(sql).all() as T[],
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    count: async (sql) => Number(Object.values((await client.query(sql)).rows[0] ?? {})[0] ?? 0),
    rows: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    close: () => client.end(),
  };
}
