/**
 * The outbox: work for the outside world (PagerDuty calls), written in the same transaction as the change
 * behind it and delivered by a worker. A row is pending until delivered, failed (permanently) or cancelled.
 * The worker delivers only the rows it claimed (a lease, taken in one update, so two processes on one file
 * never take the same row); every outcome lets go of the lease.
 */
import type { Lease, OutboxRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, asc, eq, lte, min, count, isNull, lt, notExists, or, type SQLWrapper, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.js';
import { outbox } from './schema.js';
import type { OutboxKind, OutboxState, OutboxPayload, OutboxRow } from '../../domain/ports/store.js';
export type { OutboxKind, OutboxState, OutboxPayload, OutboxRow };

type Row = typeof outbox.$inferSelect;

/** The page a row acts on, as SQLite reads it from the JSON payload. */
const pageOf = (payload: SQLWrapper) => sql`json_extract(${payload}, '$.pageId')`;
const earlier = alias(outbox, 'earlier');

/** What every outcome writes besides its own columns: nobody holds the row any more. */
const unclaimed = { claimedBy: null, claimedUntil: null };

export const toRow = (r: Row): OutboxRow => ({
  id: r.id,
  incidentNumber: r.incidentNumber,
  kind: r.kind as OutboxKind,
  payload: r.payload as OutboxPayload,
  state: r.state as OutboxState,
  attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt,
  lastError: r.lastError,
  delayNotifiedAt: r.delayNotifiedAt,
  createdAt: r.createdAt,
  deliveredAt: r.deliveredAt,
});

export class OutboxRepository implements Synchronous<OutboxRepo> {
  constructor(private readonly db: Db) {}

  /** Queues a row, due at once. Call inside the transaction of the change it delivers. */
  add(
    input: { incidentNumber: number | null; kind: OutboxKind; payload: OutboxPayload },
    now: number,
  ): OutboxRow {
    return toRow(
      this.db
        .insert(outbox)
        .values({ ...input, state: 'pending', nextAttemptAt: now, createdAt: now })
        .returning()
        .get(),
    );
  }

  get(id: number): OutboxRow | null {
    const r = this.db.select().from(outbox).where(eq(outbox.id, id)).get();
    return r ? toRow(r) : null;
  }

  /** Every pending row, oldest first (due or not). */
  pending(): OutboxRow[] {
    return this.db
      .select()
      .from(outbox)
      .where(eq(outbox.state, 'pending'))
      .orderBy(asc(outbox.id))
      .all()
      .map(toRow);
  }

  /** Pending rows whose next attempt is due, oldest first. */
  due(now: number): OutboxRow[] {
    return this.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.state, 'pending'), lte(outbox.nextAttemptAt, now)))
      .orderBy(asc(outbox.id))
      .all()
      .map(toRow);
  }

  /** Claims the due rows nobody holds whose page has no earlier pending row, in one update; oldest first. */
  claimDue(now: number, c: Lease & { limit: number }): OutboxRow[] {
    const earlierOfPage = this.db
      .select({ id: earlier.id })
      .from(earlier)
      .where(
        and(
          eq(earlier.state, 'pending'),
          lt(earlier.id, outbox.id),
          sql`${pageOf(earlier.payload)} = ${pageOf(outbox.payload)}`,
        ),
      );
    const batch = this.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.state, 'pending'),
          lte(outbox.nextAttemptAt, now),
          or(isNull(outbox.claimedUntil), lte(outbox.claimedUntil, now)),
          notExists(earlierOfPage),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(c.limit);
    return this.db
      .update(outbox)
      .set({ claimedBy: c.owner, claimedUntil: c.until })
      .where(sql`${outbox.id} in ${batch}`)
      .returning()
      .all()
      .sort((a, b) => a.id - b.id)
      .map(toRow);
  }

  /** Lets go of `owner`'s lease on a row that stays pending. */
  release(id: number, owner: string): void {
    this.db
      .update(outbox)
      .set(unclaimed)
      .where(and(eq(outbox.id, id), eq(outbox.claimedBy, owner)))
      .run();
  }

  markDelivered(id: number, now: number): void {
    this.db
      .update(outbox)
      .set({ state: 'delivered', deliveredAt: now, attempts: this.attemptsOf(id) + 1, ...unclaimed })
      .where(eq(outbox.id, id))
      .run();
  }

  /** Gives up on a row for good (PagerDuty refused it); it is never retried. */
  markFailed(id: number, error: string): void {
    this.db
      .update(outbox)
      .set({
        state: 'failed',
        lastError: error.slice(0, 500),
        attempts: this.attemptsOf(id) + 1,
        ...unclaimed,
      })
      .where(eq(outbox.id, id))
      .run();
  }

  /** Drops a row that has nothing left to do (e.g. resolving a page that never reached PagerDuty). */
  cancel(id: number, reason: string): void {
    this.db
      .update(outbox)
      .set({ state: 'cancelled', lastError: reason.slice(0, 500), ...unclaimed })
      .where(eq(outbox.id, id))
      .run();
  }

  /** Records a failed attempt and when to try again. */
  retryLater(
    id: number,
    change: { nextAttemptAt: number; error: string; payload?: OutboxPayload },
  ): OutboxRow {
    const r = this.db
      .update(outbox)
      .set({
        attempts: this.attemptsOf(id) + 1,
        nextAttemptAt: change.nextAttemptAt,
        lastError: change.error.slice(0, 500),
        ...(change.payload ? { payload: change.payload } : {}),
        ...unclaimed,
      })
      .where(eq(outbox.id, id))
      .returning()
      .get();
    if (!r) throw new Error(`outbox row ${id} does not exist`);
    return toRow(r);
  }

  /** Claims the single "delayed" notice of a row; false when it was told already. */
  claimDelayNotice(id: number, now: number): boolean {
    const row = this.get(id);
    if (!row || row.delayNotifiedAt !== null) return false;
    this.db.update(outbox).set({ delayNotifiedAt: now }).where(eq(outbox.id, id)).run();
    return true;
  }

  /** How many rows are pending and when the oldest was queued (null when none). */
  backlog(): { pending: number; oldestCreatedAt: number | null } {
    const r = this.db
      .select({ n: count(), oldest: min(outbox.createdAt) })
      .from(outbox)
      .where(eq(outbox.state, 'pending'))
      .get();
    return { pending: r?.n ?? 0, oldestCreatedAt: r?.oldest ?? null };
  }

  private attemptsOf(id: number): number {
    return this.db.select({ a: outbox.attempts }).from(outbox).where(eq(outbox.id, id)).get()?.a ?? 0;
  }
}
