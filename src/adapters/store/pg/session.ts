/**
 * What every PostgreSQL repository is given: the drizzle handle to send a statement on. Inside `store.tx`,
 * that is the transaction's own connection (found through AsyncLocalStorage, so the core's calls look the
 * same on every engine); outside, the pool's, where each statement is its own transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.js';

export type PgDb = NodePgDatabase<typeof schema>;

/** The drizzle transaction handle: the same query builder, bound to one connection. */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** A transaction in progress: its connection, and what waits for its commit. */
interface Frame {
  tx: PgTx;
  afterCommit: (() => void)[];
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
    const body = (tx: PgTx) => this.current.run({ tx, afterCommit }, fn);
    const result = outer ? await outer.tx.transaction(body) : await this.onOwnConnection(body);
    // a savepoint hands its callbacks to the transaction around it; the transaction runs them, committed
    if (outer) outer.afterCommit.push(...afterCommit);
    else for (const run of afterCommit) run();
    return result;
  }

  /**
   * A transaction on a connection checked out here and always given back. drizzle's own pool transaction
   * keeps the connection when `begin` fails (the server went away between checkout and `begin`), and the
   * pool could then never end. A connection whose transaction failed without an answer from the server
   * (lost, reset, timed out) is dropped rather than reused: its state is unknown.
   */
  private async onOwnConnection<T>(body: (tx: PgTx) => Promise<T>): Promise<T> {
    const client = await this.connections.connect();
    let failure: Error | undefined;
    try {
      return await drizzle({ client, schema }).transaction(body);
    } catch (e) {
      if (!answeredByServer(e)) failure = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      client.release(failure);
    }
  }

  /** Runs `fn` after the transaction in progress commits, or at once outside one. */
  afterCommit(fn: () => void): void {
    const frame = this.current.getStore();
    if (frame) frame.afterCommit.push(fn);
    else fn();
  }
}

/** True when `e`, or an error it wraps, is the server's answer: drizzle rolled the transaction back on it. */
function answeredByServer(e: unknown): boolean {
  for (let err: unknown = e; err instanceof Error; err = err.cause)
    if (err instanceof pg.DatabaseError) return true;
  return false;
}
