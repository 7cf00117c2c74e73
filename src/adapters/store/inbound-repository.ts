/**
 * Inbound deliveries (Slack events, PagerDuty webhooks) are stored before they are acknowledged, then
 * processed. The primary key (source, event_id) turns a redelivery into a no-op. The instance that stores a
 * delivery holds it by a lease written in the same insert; a delivery nobody holds any more (its lease
 * expired, or released after a failure) is claimed by one update, so two processes on one file never take
 * the same one.
 */
import type { InboxRepo, Lease, StaleClaim } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, asc, eq, gte, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { blankSlackMessage } from '../../domain/slack-message-blanking.js';
import type { Db } from './db.js';
import { inboundEvents } from './schema.js';
import { type InboundEvent, type InboundSource, MAX_INBOUND_ATTEMPTS } from '../../domain/ports/store.js';
export type { InboundSource, InboundEvent };

const toEvent = (r: typeof inboundEvents.$inferSelect): InboundEvent => ({
  source: r.source as InboundSource,
  eventId: r.eventId,
  body: r.body,
  receivedAt: r.receivedAt,
  attempts: r.attempts,
});

export class InboundRepository implements Synchronous<InboxRepo> {
  // Every delivery is recorded and marked processed: prepared once, not rebuilt per event.
  private readonly recordQuery;
  private readonly markProcessedQuery;

  constructor(private readonly db: Db) {
    const key = and(
      eq(inboundEvents.source, sql.placeholder('source')),
      eq(inboundEvents.eventId, sql.placeholder('eventId')),
    );
    this.recordQuery = db
      .insert(inboundEvents)
      .values({
        source: sql.placeholder('source'),
        eventId: sql.placeholder('eventId'),
        body: sql.placeholder('body'),
        receivedAt: sql.placeholder('at'),
        claimedBy: sql.placeholder('owner'),
        claimedUntil: sql.placeholder('until'),
      })
      .onConflictDoNothing()
      .prepare();
    this.markProcessedQuery = db
      .update(inboundEvents)
      .set({
        processedAt: sql`${sql.placeholder('at')}`,
        lastError: null,
        claimedBy: null,
        claimedUntil: null,
      })
      .where(key)
      .prepare();
  }

  /** Stores a delivery, held by `claim` when given; false when it was stored before (a retry or redelivery). */
  record(source: InboundSource, eventId: string, body: string, at: number, claim?: Lease): boolean {
    const owner = claim?.owner ?? null;
    const until = claim?.until ?? null;
    return this.recordQuery.run({ source, eventId, body, at, owner, until }).changes === 1;
  }

  /** Claims the deliveries nobody holds, received before `receivedBefore`, in one update; oldest first. */
  claimStale(source: InboundSource, c: StaleClaim): InboundEvent[] {
    const batch = this.db
      .select({ rowid: sql`rowid` })
      .from(inboundEvents)
      .where(
        and(
          eq(inboundEvents.source, source),
          isNull(inboundEvents.processedAt),
          lt(inboundEvents.attempts, MAX_INBOUND_ATTEMPTS),
          lt(inboundEvents.receivedAt, c.receivedBefore),
          or(isNull(inboundEvents.claimedUntil), lte(inboundEvents.claimedUntil, c.now)),
        ),
      )
      .orderBy(asc(inboundEvents.receivedAt), asc(inboundEvents.eventId))
      .limit(c.limit);
    return this.db
      .update(inboundEvents)
      .set({ claimedBy: c.owner, claimedUntil: c.until })
      .where(sql`rowid in ${batch}`)
      .returning()
      .all()
      .sort((a, b) => a.receivedAt - b.receivedAt || (a.eventId < b.eventId ? -1 : 1))
      .map(toEvent);
  }

  markProcessed(source: InboundSource, eventId: string, at: number): void {
    this.markProcessedQuery.run({ source, eventId, at });
  }

  /**
   * markProcessed's prepared update for each id, in one transaction (better-sqlite3's transaction is a savepoint
   * inside the caller's): in process, there is no round trip to save.
   */
  markAllProcessed(source: InboundSource, eventIds: readonly string[], at: number): void {
    this.db.$client.transaction(() => {
      for (const eventId of eventIds) this.markProcessedQuery.run({ source, eventId, at });
    })();
  }

  /** Counts a failed attempt; returns the attempts so far (0 when the delivery is unknown). */
  markFailed(source: InboundSource, eventId: string, error: string): number {
    const row = this.db
      .select()
      .from(inboundEvents)
      .where(and(eq(inboundEvents.source, source), eq(inboundEvents.eventId, eventId)))
      .get();
    if (!row) return 0;
    this.db
      .update(inboundEvents)
      .set({
        attempts: row.attempts + 1,
        lastError: error.slice(0, 500),
        claimedBy: null,
        claimedUntil: null,
      })
      .where(and(eq(inboundEvents.source, source), eq(inboundEvents.eventId, eventId)))
      .run();
    return row.attempts + 1;
  }

  isProcessed(source: InboundSource, eventId: string): boolean {
    const row = this.db
      .select({ p: inboundEvents.processedAt })
      .from(inboundEvents)
      .where(and(eq(inboundEvents.source, source), eq(inboundEvents.eventId, eventId)))
      .get();
    return row?.p != null;
  }

  /**
   * Blanks a Slack message (text, blocks, attachments, files) in every stored event that carries it: the
   * message event, edits, the deletion's `previous_message`. Returns how many stored events changed.
   */
  blankSlackMessage(channelId: string, ts: string): number {
    // Only bodies naming both the channel and the ts are read; deletions are rare, so a scan is fine.
    const rows = this.db
      .select({ eventId: inboundEvents.eventId, body: inboundEvents.body })
      .from(inboundEvents)
      .where(
        and(
          eq(inboundEvents.source, 'slack'),
          sql`instr(${inboundEvents.body}, ${JSON.stringify(ts)}) > 0`,
          sql`instr(${inboundEvents.body}, ${JSON.stringify(channelId)}) > 0`,
        ),
      )
      .all();
    let changed = 0;
    for (const r of rows) {
      const body = blankSlackMessage(r.body, channelId, ts);
      if (body === null) continue;
      this.db
        .update(inboundEvents)
        .set({ body })
        .where(and(eq(inboundEvents.source, 'slack'), eq(inboundEvents.eventId, r.eventId)))
        .run();
      changed += 1;
    }
    return changed;
  }

  /**
   * Deletes up to `limit` deliveries that are done with and older than `before`: processed ones (by when they
   * were processed), and ones whose processing gave up (by when they arrived). A delivery still to be
   * processed or retried is never deleted. Returns how many were deleted.
   */
  purge(before: number, limit: number): number {
    const expired = or(
      and(isNotNull(inboundEvents.processedAt), lt(inboundEvents.processedAt, before)),
      and(
        isNull(inboundEvents.processedAt),
        gte(inboundEvents.attempts, MAX_INBOUND_ATTEMPTS),
        lt(inboundEvents.receivedAt, before),
      ),
    );
    const batch = this.db.select({ rowid: sql`rowid` }).from(inboundEvents).where(expired).limit(limit);
    return this.db.delete(inboundEvents).where(sql`rowid in ${batch}`).run().changes;
  }

  /** Deliveries stored but not processed, oldest first. */
  pending(source: InboundSource): InboundEvent[] {
    return this.db
      .select()
      .from(inboundEvents)
      .where(
        and(
          eq(inboundEvents.source, source),
          isNull(inboundEvents.processedAt),
          lt(inboundEvents.attempts, MAX_INBOUND_ATTEMPTS),
        ),
      )
      .orderBy(asc(inboundEvents.receivedAt))
      .all()
      .map(toEvent);
  }
}
