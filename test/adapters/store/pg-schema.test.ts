/**
 * The PostgreSQL schema (src/adapters/store/pg/schema.ts, migrated by migrations/postgres) keeps up with the
 * SQLite one: a SQLite file migrated by openDb and a throwaway PostgreSQL server migrated by drizzle's
 * node-postgres migrator must have the same tables and columns (same names, same nullability, compatible
 * types), primary keys, indexes and foreign keys. A change to one schema without the other fails here. It needs
 * PostgreSQL's server programs and fails, saying so, without them (`.ci/run` installs them).
 */
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/adapters/project-root.js';
import { type Db, openDb } from '../../../src/adapters/store/db.js';
import { type PgCluster, startPgCluster } from '../../support/pg-cluster.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';
import { PG_ONLY_TABLES } from '../../../src/adapters/store/pg/schema.js';

interface Column {
  name: string;
  notNull: boolean;
  /** 'integer' or 'text', what SQLite stores (booleans and times are integers there, JSON is text) */
  kind: string;
}
interface Index {
  name: string;
  table: string;
  unique: boolean;
  partial: boolean;
  columns: string[];
}
interface ForeignKey {
  table: string;
  column: string;
  references: string;
}

/** PostgreSQL types and the SQLite storage class each stands for in the mirrored schema. */
const KIND: Record<string, string> = {
  integer: 'integer',
  bigint: 'integer',
  boolean: 'integer',
  text: 'text',
  jsonb: 'text',
};

let cluster: PgCluster | null = null;
let pool: pg.Pool | null = null;
let sqlite: Db | null = null;

beforeAll(async () => {
  cluster = await startPgCluster();
  pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  await migrate(drizzle({ client: pool }), {
    migrationsFolder: join(projectRoot(), 'migrations', 'postgres'),
  });
  sqlite = openDb(join(tempDir(), 'muster.db'));
}, 120_000);

afterAll(async () => {
  sqlite?.$client.close();
  await pool?.end();
  await cluster?.stop();
  removeTempDirs();
});

const byName = <T extends { name: string }>(rows: T[]): T[] =>
  [...rows].sort((a, b) => a.name.localeCompare(b.name));

function sqliteTables(): string[] {
  return sqlite!.$client
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations' order by name",
    )
    .pluck()
    .all() as string[];
}

async function pgQuery<T>(text: string): Promise<T[]> {
  return (await pool!.query(text)).rows as T[];
}

describe('the PostgreSQL schema', () => {
  it('has every table of the SQLite schema, and no other but its derived ones', async () => {
    const tables = await pgQuery<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
    );
    expect(sqliteTables().length).toBeGreaterThan(10);
    const shared = tables.map((t) => t.name).filter((name) => !PG_ONLY_TABLES.has(name));
    expect(shared.sort()).toEqual(sqliteTables());
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining([...PG_ONLY_TABLES]));
  });

  it('has every column of each table, with the same name, nullability and a matching type', async () => {
    const rows = await pgQuery<{ table: string; name: string; type: string; nullable: string }>(
      "select table_name as table, column_name as name, data_type as type, is_nullable as nullable from information_schema.columns where table_schema = 'public'",
    );
    for (const table of sqliteTables()) {
      const inSqlite = (
        sqlite!.$client.pragma(`table_info(${table})`) as { name: string; type: string; notnull: number }[]
      ).map((c): Column => ({ name: c.name, notNull: c.notnull === 1, kind: c.type.toLowerCase() }));
      const inPg = rows
        .filter((r) => r.table === table)
        .map((r): Column => ({ name: r.name, notNull: r.nullable === 'NO', kind: KIND[r.type] ?? r.type }));
      expect({ table, columns: byName(inPg) }).toEqual({ table, columns: byName(inSqlite) });
    }
  });

  it('has the same primary keys', async () => {
    const rows = await pgQuery<{ table: string; column: string }>(
      `select k.table_name as table, k.column_name as column
         from information_schema.table_constraints c
         join information_schema.key_column_usage k
           on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name
        where c.table_schema = 'public' and c.constraint_type = 'PRIMARY KEY'
        order by k.table_name, k.ordinal_position`,
    );
    for (const table of sqliteTables()) {
      const inSqlite = (sqlite!.$client.pragma(`table_info(${table})`) as { name: string; pk: number }[])
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      expect({ table, primaryKey: rows.filter((r) => r.table === table).map((r) => r.column) }).toEqual({
        table,
        primaryKey: inSqlite,
      });
    }
  });

  it('has the same named indexes: unique or not, partial or not, on the same columns in the same order', async () => {
    const inPg = await pgQuery<Index>(
      `select i.relname as name, t.relname as table, x.indisunique as unique, x.indpred is not null as partial,
              array(select a.attname::text
                      from unnest(x.indkey) with ordinality k(attnum, position)
                      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
                     order by k.position) as columns
         from pg_index x
         join pg_class i on i.oid = x.indexrelid
         join pg_class t on t.oid = x.indrelid
         join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = 'public' and not x.indisprimary`,
    );
    const inSqlite = sqliteTables().flatMap((table) =>
      (
        sqlite!.$client.pragma(`index_list(${table})`) as {
          name: string;
          unique: number;
          origin: string;
          partial: number;
        }[]
      )
        // 'c': made by CREATE INDEX; the others are SQLite's own for primary keys and UNIQUE columns
        .filter((i) => i.origin === 'c')
        .map(
          (i): Index => ({
            name: i.name,
            table,
            unique: i.unique === 1,
            partial: i.partial === 1,
            columns: (sqlite!.$client.pragma(`index_info(${i.name})`) as { seqno: number; name: string }[])
              .sort((a, b) => a.seqno - b.seqno)
              .map((c) => c.name),
          }),
        ),
    );
    expect(inSqlite.length).toBeGreaterThan(10);
    expect(byName(inPg.filter((i) => !PG_ONLY_TABLES.has(i.table)))).toEqual(byName(inSqlite));
  });

  it('has the same foreign keys', async () => {
    const inPg = await pgQuery<ForeignKey>(
      `select k.table_name as table, k.column_name as column, u.table_name || '.' || u.column_name as references
         from information_schema.table_constraints c
         join information_schema.key_column_usage k
           on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name
         join information_schema.constraint_column_usage u
           on u.constraint_schema = c.constraint_schema and u.constraint_name = c.constraint_name
        where c.table_schema = 'public' and c.constraint_type = 'FOREIGN KEY'`,
    );
    const inSqlite = sqliteTables().flatMap((table) =>
      (
        sqlite!.$client.pragma(`foreign_key_list(${table})`) as { table: string; from: string; to: string }[]
      ).map((f): ForeignKey => ({ table, column: f.from, references: `${f.table}.${f.to}` })),
    );
    const order = (rows: ForeignKey[]) =>
      rows.map((f) => `${f.table}.${f.column} -> ${f.references}`).sort((a, b) => a.localeCompare(b));
    expect(inSqlite.length).toBeGreaterThan(5);
    expect(order(inPg.filter((f) => !PG_ONLY_TABLES.has(f.table)))).toEqual(order(inSqlite));
  });
});
