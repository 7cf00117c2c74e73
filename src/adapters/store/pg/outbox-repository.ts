/**
 * The outbox on PostgreSQL: work for the outside world (PagerDuty calls), written in the same transaction as
 * the change behind it and delivered by a worker. A row is pending until delivered, failed (permanently) or
 * cancelled. Counting an attempt is `attempts = attempts + 1` in the statement itself, and the delay notice is
 * claimed by a conditional update: neither reads first, so two processes sharing the database cannot both
 * count the same attempt as theirs or both tell the same delay. Rows to deliver are claimed by one update over
 * a subselect `FOR UPDATE SKIP LOCKED` (a lease per row): two workers never take the same row.
 */
import { and, asc, count, eq, isNull, lt, lte, min, notExists, or, type SQLWrapper, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Lease, OutboxKind, OutboxPayload, OutboxRepo, OutboxRow } from '../../../domain/ports/store.js';
import { outbox } from './schema.js';
import type { PgSession } from './session.js';
import { toRow } from '../outbox-repository.js';

/** How much of an error the row keeps (PagerDuty's bodies can be long). */
const MAX_ERROR = 500;

const oneMoreAttempt = sql`${outbox.attempts} + 1`;

/** What every outcome writes besides its own columns: nobody holds the row any more. */
const unclaimed = { claimedBy: null, claimedUntil: null };

/** The page a row acts on, read from its payload. */
const pageOf = (payload: SQLWrapper) => sql`(${payload}->>'pageId')`;
const earlier = alias(outbox, 'earlier');

export class PgOutboxRepository implements OutboxRepo {
  constructor(private readonly session: PgSession) {}

  /** Queues a row, due at once. Call inside the transaction of the change it delivers. */
  async add(
    input: { incidentNumber: number | null; kind: OutboxKind; payload: OutboxPayload },
    now: number,
  ): Promise<OutboxRow> {
    const [added] = await this.session
      .db()
      .insert(outbox)
      .values({ ...input, state: 'pending', nextAttemptAt: now, createdAt: now })
      .returning();
    return toRow(added!);
  }

  async get(id: number): Promise<OutboxRow | null> {
    const [r] = await this.session.db().select().from(outbox).where(eq(outbox.id, id));
    return r ? toRow(r) : null;
  }

  /** Every pending row, oldest first (due or not). */
  async pending(): Promise<OutboxRow[]> {
    const rows = await this.session
      .db()
      .select()
      .from(outbox)
      .where(eq(outbox.state, 'pending'))
      .orderBy(asc(outbox.id));
    return rows.map(toRow);
  }

  /** Pending rows whose next attempt is due, oldest first. */
  async due(now: number): Promise<OutboxRow[]> {
    const rows = await this.session
      .db()
      .select()
      .from(outbox)
      .where(and(eq(outbox.state, 'pending'), lte(outbox.nextAttemptAt, now)))
      .orderBy(asc(outbox.id));
    return rows.map(toRow);
  }

  /**
   * Claims the due rows nobody holds whose page has no earlier pending row; oldest first. A row another worker
   * is claiming at this moment is skipped, and one it claimed meanwhile is read again and left.
   */
  async claimDue(now: number, c: Lease & { limit: number }): Promise<OutboxRow[]> {
    const db = this.session.db();
    const earlierOfPage = db
      .select({ id: earlier.id })
      .from(earlier)
      .where(
        and(
          eq(earlier.state, 'pending'),
          lt(earlier.id, outbox.id),
          sql`${pageOf(earlier.payload)} = ${pageOf(outbox.payload)}`,
        ),
      );
    const batch = db
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
      .limit(Math.max(c.limit, 0))
      .for('update', { of: outbox, skipLocked: true });
    const rows = await db
      .update(outbox)
      .set({ claimedBy: c.owner, claimedUntil: c.until })
      .where(sql`${outbox.id} in ${batch}`)
      .returning();
    return rows.sort((a, b) => a.id - b.id).map(toRow);
  }

  /** Lets go of `owner`'s lease on a row that stays pending. */
  async release(id: number, owner: string): Promise<void> {
    await this.session
      .db()
      .update(outbox)
      .set(unclaimed)
      .where(and(eq(outbox.id, id), eq(outbox.claimedBy, owner)));
  }

  /** Records the delivery (and the attempt that made it); an unknown row changes nothing. */
  async markDelivered(id: number, now: number): Promise<void> {
    await this.session
      .db()
      .update(outbox)
      .set({ state: 'delivered', deliveredAt: now, attempts: oneMoreAttempt, ...unclaimed })
      .where(eq(outbox.id, id));
  }

  /** Gives up on a row for good (PagerDuty refused it); it is never retried. */
  async markFailed(id: number, error: string): Promise<void> {
    await this.session
      .db()
      .update(outbox)
      .set({ state: 'failed', lastError: error.slice(0, MAX_ERROR), attempts: oneMoreAttempt, ...unclaimed })
      .where(eq(outbox.id, id));
  }

  /** Drops a row that has nothing left to do (e.g. resolving a page that never reached PagerDuty). */
  async cancel(id: number, reason: string): Promise<void> {
    await this.session
      .db()
      .update(outbox)
      .set({ state: 'cancelled', lastError: reason.slice(0, MAX_ERROR), ...unclaimed })
      .where(eq(outbox.id, id));
  }

  /** Records a failed attempt and when to try again; an unknown row throws. */
  async retryLater(
    id: number,
    change: { nextAttemptAt: number; error: string; payload?: OutboxPayload },
  ): Promise<OutboxRow> {
    const [r] = await this.session
      .db()
      .update(outbox)
      .set({
        attempts: oneMoreAttempt,
        nextAttemptAt: change.nextAttemptAt,
        lastError: change.error.slice(0, MAX_ERROR),
        ...(change.payload ? { payload: change.payload } : {}),
        ...unclaimed,
      })
      .where(eq(outbox.id, id))
      .returning();
    if (!r) throw new Error(`outbox row ${id} does not exist`);
    return toRow(r);
  }

  /** Claims the single "delayed" notice of a row; false when it was told already (or the row is unknown). */
  async claimDelayNotice(id: number, now: number): Promise<boolean> {
    const claimed = await this.session
      .db()
      .update(outbox)
      .set({ delayNotifiedAt: now })
      .where(and(eq(outbox.id, id), isNull(outbox.delayNotifiedAt)))
      .returning({ id: outbox.id });
    return claimed.length > 0;
  }

  /** How many rows are pending and when the oldest was queued (null when none). */
  async backlog(): Promise<{ pending: number; oldestCreatedAt: number | null }> {
    const [r] = await this.session
      .db()
      .select({ n: count(), oldest: min(outbox.createdAt) })
      .from(outbox)
      .where(eq(outbox.state, 'pending'));
    return { pending: r?.n ?? 0, oldestCreatedAt: r?.oldest ?? null };
  }
}
