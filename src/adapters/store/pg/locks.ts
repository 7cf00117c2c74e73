/**
 * What keeps the PostgreSQL repositories right when several Muster instances write one database at once.
 * SQLite had one writer at a time, so "read, then write" was safe there; here two instances may read the same
 * "current commander" in the same millisecond. The read-then-write methods take a transaction-level advisory
 * lock named after what they change (one incident's roles, one incident's postmortem versions): PostgreSQL
 * holds it until the transaction ends, so the next writer reads after the first has committed. Advisory locks
 * take no row locks, so they never block a reader or an unrelated write. (Timeline numbers need no lock: the
 * `timeline_numbers` row the insert itself bumps orders the writers, see timeline-repository.ts.)
 */
import { sql } from 'drizzle-orm';
import type { PgSession } from './session.js';

/** The key of the session-level lock `openPgStore` holds while it applies migrations. */
export const MIGRATION_LOCK = 7_370_412_910_001n;

/** Lock classes (the first key of the two-key advisory locks; the second is the incident number). */
export const Lock = {
  // 1 was the timeline numbering, now taken by a row of timeline_numbers
  roles: 2,
  postmortemVersions: 3,
} as const;

/**
 * Runs `fn` atomically: in its own transaction, or as part of the transaction in progress. No savepoint there:
 * a statement that fails aborts the whole transaction in PostgreSQL, so none of `fn`'s writes can commit
 * without the others. For methods that throw on failure; one that turns a refusal into `false` needs a
 * savepoint (`session.transaction`) or `ON CONFLICT`.
 */
export function atomically<T>(session: PgSession, fn: () => Promise<T>): Promise<T> {
  return session.inTransaction() ? fn() : session.transaction(fn);
}

/**
 * Runs one write that may be refused (a unique key taken) so that, as in SQLite, a caller who catches the
 * refusal can go on with the transaction in progress: there the write gets a savepoint of its own (PostgreSQL
 * would otherwise abort the whole transaction); outside one, the statement is its own transaction already.
 */
export function refusable<T>(session: PgSession, fn: () => Promise<T>): Promise<T> {
  return session.inTransaction() ? session.transaction(fn) : fn();
}

/** Takes the transaction-level lock of one incident's `kind`; call it inside `atomically`. */
export async function lockIncident(session: PgSession, kind: number, incidentNumber: number): Promise<void> {
  await session.lockOnce(`${kind}:${incidentNumber}`, () =>
    session.db().execute(sql`select pg_advisory_xact_lock(${kind}::int, ${incidentNumber}::int)`),
  );
}
