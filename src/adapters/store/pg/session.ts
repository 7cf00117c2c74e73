/**
 * What every PostgreSQL repository is given: the drizzle handle to send a statement on. Inside `store.tx`,
 * that is the transaction's own connection (found through AsyncLocalStorage, so the core's calls look the
 * same on every engine); outside, the pool's, where each statement is its own transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { answeredByServer } from './errors.js';
import * as schema from './schema.js';

export type PgDb = NodePgDatabase<typeof schema>;

/** The drizzle transaction handle: the same query builder, bound to one connection. */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** A transaction in progress: its connection, and what waits for its commit. */
interface Frame {
  tx: PgTx;
  /** the transaction's connection, for the statements sent without the query builder (`query`) */
  client: pg.PoolClient;
  afterCommit: (() => void)[];
  /** the transaction-level advisory locks taken in this transaction or savepoint (see `lockOnce`) */
  locks: Set<string>;
  /** the transaction around a savepoint */
  parent: Frame | undefined;
}

export class PgSession {
  private readonly current = new AsyncLocalStorage<Frame>();

  readonly pool: PgDb;

  constructor(private readonly connections: pg.Pool) {
    this.pool = drizzle({ client: connections, schema });
  }

  /** The handle of the transaction in progress, or the pool's. */
  db(): PgDb | PgTx {
    return this.current.getStore()?.tx ?? this.pool;
  }

  /** True inside `store.tx`. */
  inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** Runs `fn` in a transaction, or in a savepoint of the one in progress. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    const afterCommit: (() => void)[] = [];
    const locks = new Set<string>();
    const result = outer
      ? await outer.tx.transaction((tx) =>
          this.current.run({ tx, client: outer.client, afterCommit, locks, parent: outer }, fn),
        )
      : await this.onOwnConnection((tx, client) =>
          this.current.run({ tx, client, afterCommit, locks, parent: outer }, fn),
        );
    // a savepoint hands its callbacks and locks to the transaction around it; the transaction runs them, committed
    if (outer) {
      outer.afterCommit.push(...afterCommit);
      for (const key of locks) outer.locks.add(key);
    } else for (const run of afterCommit) run();
    return result;
  }

  /**
   * Takes a lock with `take` unless the transaction in progress holds it already (`key` names it): a batch of
   * writes to one incident takes its lock once, not a round trip each. A savepoint rolled back gives back the
   * locks taken in it, as PostgreSQL does. Outside a transaction, `take` runs every time.
   */
  async lockOnce(key: string, take: () => Promise<unknown>): Promise<void> {
    const frame = this.current.getStore();
    for (let f = frame; f; f = f.parent) if (f.locks.has(key)) return;
    await take();
    frame?.locks.add(key);
  }

  /**
   * A transaction on a connection checked out here and always given back. drizzle's own pool transaction
   * keeps the connection when `begin` fails (the server went away between checkout and `begin`), and the
   * pool could then never end. A connection whose transaction failed without an answer from the server
   * (lost, reset, timed out) is dropped rather than reused: its state is unknown.
   */
  private async onOwnConnection<T>(body: (tx: PgTx, client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connections.connect();
    let failure: Error | undefined;
    try {
      // without the schema: the repositories use no relational queries, and mapping it costs ~70 µs a transaction
      return await (drizzle({ client }) as unknown as PgDb).transaction((tx) => body(tx, client));
    } catch (e) {
      if (!answeredByServer(e)) failure = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      client.release(failure);
    }
  }

  /**
   * Sends one statement as SQL, on the transaction's connection or the pool's: for the hottest statements, which a
   * `name` prepares once per connection (parsed and planned once instead of at every call).
   */
  async query<R extends pg.QueryResultRow>(statement: pg.QueryConfig): Promise<R[]> {
    const client = this.current.getStore()?.client ?? this.connections;
    return (await client.query<R>(statement)).rows;
  }

  /** Runs `fn` after the transaction in progress commits, or at once outside one. */
  afterCommit(fn: () => void): void {
    const frame = this.current.getStore();
    if (frame) frame.afterCommit.push(fn);
    else fn();
  }
}
