/**
 * `muster db copy --to <postgres-url>`: copies the SQLite database into an empty PostgreSQL database, to move
 * an installation from one file to a server that several instances share, keeping every incident, its number
 * and its history.
 *
 * How, and why:
 * - Both sides are migrated first (openDb, migratePg), so both schemas are at the newest version, which mirror
 *   each other table for table and column for column (test/adapters/store/pg-schema.test.ts holds them to it).
 *   The tables and columns are taken from the two drizzle schemas, never from a list kept here.
 * - Everything is written in one PostgreSQL transaction: a failure (a row the server refuses, a lost
 *   connection) leaves the target as empty as it was. Its tables are locked first (EXCLUSIVE: reads go on,
 *   writes wait), so no instance writes between the check that they are empty and the commit.
 * - The foreign keys are not deferrable (drizzle-kit writes them immediate), so a table is copied after the
 *   tables it refers to, in the order the PostgreSQL schema's foreign keys give.
 * - The SQLite side is read in one read transaction: every table comes from the same snapshot, even while a
 *   Muster process still writes the file (what it writes after that snapshot is not copied: stop it first).
 * - Rows are read through a statement iterator and sent in batches bounded in rows and bytes, so 100 000
 *   timeline entries, or drafts of megabytes, are never held in memory together. A batch is one multi-row
 *   INSERT … SELECT FROM unnest() with one array parameter per column: about twice as fast as a VALUES list
 *   of a parameter per value (which PostgreSQL also caps at 65 535), as the server parses a short statement.
 * - Values: SQLite's 0/1 flags become booleans; the JSON text of `meta`, `files`, `payload` and `figures` is
 *   sent as it is and parsed by the server into jsonb; times, ids and numbers are the same numbers on both sides.
 * - AUTOINCREMENT never hands out a number twice, even one whose row is gone: sqlite_sequence keeps the highest
 *   given. Each identity sequence is set to the greater of that and the highest id copied, so the next incident
 *   continues the numbering and no number is reused.
 */
import { existsSync } from 'node:fs';
import { type Column, getTableColumns, getTableName, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { maskCredentials } from '../../../config-value.js';
import { type Db, openDb, sqlitePath } from '../db.js';
import * as sqliteSchema from '../schema.js';
import { isPostgresUrl } from '../../../config.js';
import { migratePg } from './pg-store.js';
import * as pgSchema from './schema.js';

export type DbCopyErrorCode =
  | 'copy.source_is_postgres'
  | 'copy.source_missing'
  | 'copy.target_not_postgres'
  | 'copy.target_not_empty'
  | 'copy.target_busy'
  | 'copy.failed';

/** Why `db copy` refused or stopped; nothing was written to the target's tables when it is thrown. */
export class DbCopyError extends Error {
  constructor(
    readonly code: DbCopyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DbCopyError';
  }
}

export interface CopyOptions {
  /** told one line per table copied, then what to set; nothing is told before the commit */
  log?: (line: string) => void;
}

export interface CopiedTable {
  table: string;
  rows: number;
}

/** The name the server shows for the copy's connection (pg_stat_activity). */
export const COPY_APPLICATION_NAME = 'muster db copy';

/** A batch is sent at whichever comes first: so many rows, or so many characters of text. */
const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;
/** How long the copy waits for another connection's lock on a target table before giving up. */
const LOCK_TIMEOUT = '5s';

interface TablePlan {
  name: string;
  columns: { name: string; type: string; write: (value: unknown) => unknown }[];
  /** the identity column (incidents.number, the ids), whose sequence is moved past the copied values */
  identity: string | null;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * Copies every table of the SQLite database at `sqliteFile` into the empty PostgreSQL database at `pgUrl`
 * (both migrated first) and returns the rows copied per table. Throws a DbCopyError when the source is not an
 * existing SQLite file, the target is not a postgres:// URL, holds rows already, or a write fails; the
 * target's tables are then left as they were.
 */
export async function copySqliteToPostgres(
  sqliteFile: string,
  pgUrl: string,
  opts: CopyOptions = {},
): Promise<CopiedTable[]> {
  if (isPostgresUrl(sqliteFile))
    throw new DbCopyError(
      'copy.source_is_postgres',
      'db copy reads a SQLite database, and DATABASE_URL is a PostgreSQL URL already: set it to the SQLite file to copy',
    );
  const path = sqlitePath(sqliteFile);
  if (path === ':memory:' || !existsSync(path))
    throw new DbCopyError('copy.source_missing', `the SQLite database ${path} does not exist (DATABASE_URL)`);
  if (!isPostgresUrl(pgUrl))
    throw new DbCopyError('copy.target_not_postgres', 'db copy --to needs a postgres:// URL');

  const plans = copyOrder();
  const source = openDb(sqliteFile);
  try {
    await migratePg(pgUrl, { applicationName: COPY_APPLICATION_NAME }).catch((e: unknown) => {
      const message = `migrating the target database failed, no row was written: ${reason(e)}`;
      throw new DbCopyError('copy.failed', message, { cause: e });
    });
    const copied = await copyAll(source, pgUrl, plans);
    const log = opts.log ?? (() => {});
    const width = Math.max(...copied.map((c) => c.table.length));
    for (const { table, rows } of copied)
      log(`${table.padEnd(width)}  ${rows} ${rows === 1 ? 'row' : 'rows'}`);
    const shown = maskCredentials(pgUrl);
    log(
      `copied: set DATABASE_URL=${shown}${shown === pgUrl ? '' : ' (with its password)'} to run Muster on PostgreSQL`,
    );
    return copied;
  } finally {
    source.$client.close();
  }
}

async function copyAll(source: Db, pgUrl: string, plans: TablePlan[]): Promise<CopiedTable[]> {
  const client = new pg.Client({ connectionString: pgUrl, application_name: COPY_APPLICATION_NAME });
  // a lost connection rejects the query in progress; the event would otherwise end the process
  client.on('error', () => {});
  const sqlite = source.$client;
  // one snapshot of the file for every table (a deferred read transaction: it never blocks a writer)
  sqlite.exec('BEGIN');
  try {
    await client.connect();
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    await lockEmptyTarget(client, plans);
    const highest = sqliteSequences(source);
    const copied: CopiedTable[] = [];
    for (const plan of plans) {
      const { rows, maxId } = await copyTable(source, client, plan).catch((e: unknown) => {
        const message = `copying ${plan.name} failed, nothing was written: ${reason(e)}`;
        throw new DbCopyError('copy.failed', message, { cause: e });
      });
      copied.push({ table: plan.name, rows });
      const last = Math.max(maxId, highest.get(plan.name) ?? 0);
      // a sequence starts at 1 and setval refuses 0: a table that never had a row keeps its fresh sequence
      if (plan.identity && last > 0)
        await client.query('select setval(pg_get_serial_sequence($1, $2), $3)', [
          quote(plan.name),
          plan.identity,
          last,
        ]);
    }
    await client.query('COMMIT');
    return copied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    if (e instanceof DbCopyError) throw e;
    throw new DbCopyError('copy.failed', `db copy failed, nothing was written: ${reason(e)}`, { cause: e });
  } finally {
    // the SQLite transaction only read: ending it either way lets the file's log be checkpointed again
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    await client.end().catch(() => {});
  }
}

/** Locks every Muster table of the target against writes, then refuses when any of them holds a row. */
async function lockEmptyTarget(client: pg.Client, plans: TablePlan[]): Promise<void> {
  try {
    await client.query(`LOCK TABLE ${plans.map((p) => quote(p.name)).join(', ')} IN EXCLUSIVE MODE`);
  } catch (e) {
    // 55P03: lock_not_available, raised by lock_timeout
    if ((e as { code?: unknown }).code === '55P03')
      throw new DbCopyError(
        'copy.target_busy',
        'the target database is in use (another connection is writing its tables): stop the Muster instances on it and try again',
        { cause: e },
      );
    throw e;
  }
  const { rows } = await client.query<{ name: string }>(
    plans
      .map((p) => `select '${p.name}' as name where exists (select 1 from ${quote(p.name)})`)
      .join(' union all '),
  );
  if (rows.length > 0)
    throw new DbCopyError(
      'copy.target_not_empty',
      `the target database is not empty (rows in ${rows.map((r) => r.name).join(', ')}): db copy writes only into an empty database, and wrote nothing`,
    );
}

/** Streams one table from SQLite into PostgreSQL, a batch of rows per INSERT; returns its rows and highest id. */
async function copyTable(
  source: Db,
  client: pg.Client,
  plan: TablePlan,
): Promise<{ rows: number; maxId: number }> {
  const names = plan.columns.map((c) => c.name);
  const identityAt = plan.identity ? names.indexOf(plan.identity) : -1;
  const select = source.$client
    .prepare(`select ${names.map(quote).join(', ')} from ${quote(plan.name)} order by rowid`)
    .raw(true);
  const insert = `insert into ${quote(plan.name)} (${names.map(quote).join(', ')}) select * from unnest(${plan.columns
    .map((c, i) => `$${i + 1}::${c.type}[]`)
    .join(', ')})`;

  let columns: unknown[][] = names.map(() => []);
  let batched = 0;
  let bytes = 0;
  let rows = 0;
  let maxId = 0;
  const flush = async () => {
    if (batched === 0) return;
    await client.query(insert, columns);
    columns = names.map(() => []);
    batched = 0;
    bytes = 0;
  };
  for (const row of select.iterate() as Iterable<unknown[]>) {
    plan.columns.forEach((column, i) => {
      const value = column.write(row[i]);
      bytes += typeof value === 'string' ? value.length : 8;
      columns[i]!.push(value);
    });
    batched++;
    rows++;
    if (identityAt >= 0) maxId = Math.max(maxId, Number(row[identityAt]));
    if (batched >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  return { rows, maxId };
}

/** The highest number AUTOINCREMENT has handed out per table, deleted rows included. */
function sqliteSequences(source: Db): Map<string, number> {
  const client = source.$client;
  // SQLite creates the table with the first AUTOINCREMENT table: always there once migrated, checked all the same
  if (!client.prepare("select 1 from sqlite_master where type = 'table' and name = 'sqlite_sequence'").get())
    return new Map();
  const rows = client.prepare('select name, seq from sqlite_sequence').all() as {
    name: string;
    seq: number;
  }[];
  return new Map(rows.map((r) => [r.name, Number(r.seq)]));
}

/** How a SQLite value is written into a PostgreSQL column: flags become booleans, the rest goes as it is. */
function writerFor(column: Column): (value: unknown) => unknown {
  if (column.dataType === 'boolean') return (v) => (v === null ? null : Boolean(v));
  // JSON text is sent as text: the server parses it into jsonb, exactly as stored
  return (v) => v;
}

/**
 * Every table of the PostgreSQL schema with its twin in the SQLite one, parents before the tables whose
 * foreign keys refer to them. Throws when the schemas do not pair up (a table or column on one side only):
 * the schema test fails first on such a change.
 */
function copyOrder(): TablePlan[] {
  const sqliteTables = new Map<string, SQLiteTable>(
    Object.values(sqliteSchema)
      .filter((t) => is(t, SQLiteTable))
      .map((t) => [getTableName(t), t] as const),
  );
  // PostgreSQL's derived tables are left empty: they are rebuilt from the copied rows when first needed
  const pgTables = Object.values(pgSchema)
    .filter((t) => is(t, PgTable))
    .filter((t) => !pgSchema.PG_ONLY_TABLES.has(getTableName(t)));
  const pgNames = new Set<string>(pgTables.map((t) => getTableName(t)));
  const unpaired = [...sqliteTables.keys()].filter((name) => !pgNames.has(name));
  if (unpaired.length > 0) throw new Error(`no PostgreSQL table for ${unpaired.join(', ')}`);

  const plans = new Map<string, TablePlan & { parents: string[] }>();
  for (const table of pgTables) {
    const name = getTableName(table);
    const twin = sqliteTables.get(name);
    if (!twin) throw new Error(`no SQLite table for ${name}`);
    const twinColumns = new Set(Object.values(getTableColumns(twin)).map((c) => c.name));
    const columns = Object.values(getTableColumns(table));
    const missing = columns.filter((c) => !twinColumns.has(c.name)).map((c) => c.name);
    if (missing.length > 0 || twinColumns.size !== columns.length)
      throw new Error(`the columns of ${name} differ between the SQLite and PostgreSQL schemas`);
    plans.set(name, {
      name,
      columns: columns.map((c) => ({ name: c.name, type: c.getSQLType(), write: writerFor(c) })),
      identity: columns.find((c) => c.generatedIdentity !== undefined)?.name ?? null,
      parents: getTableConfig(table)
        .foreignKeys.map((fk) => getTableName(fk.reference().foreignTable))
        .filter((parent) => parent !== name),
    });
  }

  // parents first (the foreign keys have no cycle); among tables free to go, the schema module's (alphabetical) order
  const ordered: TablePlan[] = [];
  const placed = new Set<string>();
  while (ordered.length < plans.size) {
    const next = [...plans.values()].find(
      (p) => !placed.has(p.name) && p.parents.every((q) => placed.has(q)),
    );
    if (!next) throw new Error('the foreign keys of the PostgreSQL schema form a cycle');
    placed.add(next.name);
    ordered.push({ name: next.name, columns: next.columns, identity: next.identity });
  }
  return ordered;
}

/** The driver's message, without a credential that a connection error might quote. */
const reason = (e: unknown): string => maskCredentials(e instanceof Error ? e.message : String(e));
