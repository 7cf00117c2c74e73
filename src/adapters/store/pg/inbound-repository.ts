/**
 * Inbound deliveries (Slack events, PagerDuty webhooks), on PostgreSQL: stored before they are acknowledged,
 * then processed. The reference behaviour is ../inbound-repository.ts; the primary key (source, event_id)
 * turns a redelivery into a no-op here too, whichever instance received it. The receiving instance's lease is
 * written by the insert itself; a delivery nobody holds any more is claimed by one update over a subselect
 * `FOR UPDATE SKIP LOCKED`: two instances sweeping at once each take other rows, neither waits for the other.
 */
import { and, asc, eq, gte, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import {
  type InboundEvent,
  type InboundSource,
  type InboxRepo,
  type Lease,
  MAX_INBOUND_ATTEMPTS,
  type StaleClaim,
} from '../../../domain/ports/store.js';
import { blankSlackMessage } from '../../../domain/slack-message-blanking.js';
import { atomically } from './locks.js';
import { inboundEvents } from './schema.js';
import type { PgSession } from './session.js';
import { TurnBatches } from './turn-batches.js';

const keyOf = (source: InboundSource, eventId: string) =>
  and(eq(inboundEvents.source, source), eq(inboundEvents.eventId, eventId));

const toEvent = (r: typeof inboundEvents.$inferSelect): InboundEvent => ({
  source: r.source as InboundSource,
  eventId: r.eventId,
  body: r.body,
  receivedAt: r.receivedAt,
  attempts: r.attempts,
});

/** Still to process: neither processed nor given up. */
const stillToDo = (source: InboundSource) =>
  and(
    eq(inboundEvents.source, source),
    isNull(inboundEvents.processedAt),
    lt(inboundEvents.attempts, MAX_INBOUND_ATTEMPTS),
  );

const byArrival = (a: InboundEvent, b: InboundEvent) =>
  a.receivedAt - b.receivedAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/** A delivery to store. */
interface Delivery {
  source: InboundSource;
  eventId: string;
  body: string;
  at: number;
  claim: Lease | undefined;
}

const RECORD_ONE = `insert into inbound_events (source, event_id, body, received_at, claimed_by, claimed_until)
  values ($1, $2, $3, $4, $5, $6) on conflict (source, event_id) do nothing returning 1`;

/** Several deliveries in one statement; a key met twice (a retry in the same batch) is stored once, by the first. */
const RECORD_MANY = `insert into inbound_events (source, event_id, body, received_at, claimed_by, claimed_until)
  select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])
  on conflict (source, event_id) do nothing returning source, event_id`;

export class PgInboundRepository implements InboxRepo {
  /** the deliveries of one turn of the event loop, stored by one statement (turn-batches.ts) */
  private readonly batches = new TurnBatches<Delivery, boolean>({
    one: (d) => this.recordOne(d),
    many: (ds) => this.recordMany(ds),
    max: 500,
    // a refused statement's deliveries are independent: stored again side by side
    retryInOrder: false,
  });

  constructor(private readonly session: PgSession) {}

  /**
   * Stores a delivery, held by `claim` when given; false when it was stored before (a retry or redelivery).
   * Every Slack event and PagerDuty webhook is stored before its answer, so this is the busiest statement:
   * outside a transaction, the deliveries received in the same turn of the event loop (about two at a time
   * in a storm) share one statement (TurnBatches), and each resolves once it has committed.
   */
  record(source: InboundSource, eventId: string, body: string, at: number, claim?: Lease): Promise<boolean> {
    const delivery = { source, eventId, body, at, claim };
    return this.session.inTransaction() ? this.recordOne(delivery) : this.batches.add(delivery);
  }

  /** Resolves once every delivery queued so far has been answered (the store waits for it before closing). */
  idle(): Promise<void> {
    return this.batches.idle();
  }

  /** One delivery, in one round trip: the statement is prepared once per connection. */
  private async recordOne(d: Delivery): Promise<boolean> {
    const rows = await this.session.query({
      name: 'inbound_record',
      text: RECORD_ONE,
      values: [d.source, d.eventId, d.body, d.at, d.claim?.owner ?? null, d.claim?.until ?? null],
    });
    return rows.length === 1;
  }

  private async recordMany(ds: Delivery[]): Promise<boolean[]> {
    const rows = await this.session.query<{ source: string; event_id: string }>({
      name: 'inbound_record_many',
      text: RECORD_MANY,
      values: [
        ds.map((d) => d.source),
        ds.map((d) => d.eventId),
        ds.map((d) => d.body),
        ds.map((d) => d.at),
        ds.map((d) => d.claim?.owner ?? null),
        ds.map((d) => d.claim?.until ?? null),
      ],
    });
    // each stored key goes to its first delivery in the batch; a repeat (stored before, or earlier here) gets false
    const stored = new Set(rows.map((r) => `${r.source}\n${r.event_id}`));
    return ds.map((d) => stored.delete(`${d.source}\n${d.eventId}`));
  }

  /**
   * Claims the deliveries nobody holds, received before `receivedBefore`; oldest first. A row another
   * instance is claiming at this moment is skipped, and one it claimed meanwhile is read again and left.
   */
  async claimStale(source: InboundSource, c: StaleClaim): Promise<InboundEvent[]> {
    const db = this.session.db();
    const batch = db
      .select({ source: inboundEvents.source, eventId: inboundEvents.eventId })
      .from(inboundEvents)
      .where(
        and(
          stillToDo(source),
          lt(inboundEvents.receivedAt, c.receivedBefore),
          or(isNull(inboundEvents.claimedUntil), lte(inboundEvents.claimedUntil, c.now)),
        ),
      )
      .orderBy(asc(inboundEvents.receivedAt), asc(inboundEvents.eventId))
      .limit(Math.max(c.limit, 0))
      .for('update', { skipLocked: true });
    const rows = await db
      .update(inboundEvents)
      .set({ claimedBy: c.owner, claimedUntil: c.until })
      .where(sql`(${inboundEvents.source}, ${inboundEvents.eventId}) in ${batch}`)
      .returning();
    return rows.map(toEvent).sort(byArrival);
  }

  /** Marks a delivery processed, and lets go of its lease: markAllProcessed's statement with one id. */
  markProcessed(source: InboundSource, eventId: string, at: number): Promise<void> {
    return this.markAllProcessed(source, [eventId], at);
  }

  /** One statement for all of them, however many. */
  async markAllProcessed(source: InboundSource, eventIds: readonly string[], at: number): Promise<void> {
    if (eventIds.length === 0) return;
    await this.session.query({
      name: 'inbound_processed',
      text: `update inbound_events set processed_at = $3, last_error = null, claimed_by = null, claimed_until = null
        where source = $1 and event_id = any($2::text[])`,
      values: [source, [...eventIds], at],
    });
  }

  /**
   * Counts a failed attempt and lets go of the lease; returns the attempts so far (0 when the delivery is
   * unknown). One statement.
   */
  async markFailed(source: InboundSource, eventId: string, error: string): Promise<number> {
    const [row] = await this.session
      .db()
      .update(inboundEvents)
      .set({
        attempts: sql`${inboundEvents.attempts} + 1`,
        lastError: error.slice(0, 500),
        claimedBy: null,
        claimedUntil: null,
      })
      .where(keyOf(source, eventId))
      .returning({ attempts: inboundEvents.attempts });
    return row?.attempts ?? 0;
  }

  async isProcessed(source: InboundSource, eventId: string): Promise<boolean> {
    const [row] = await this.session
      .db()
      .select({ p: inboundEvents.processedAt })
      .from(inboundEvents)
      .where(keyOf(source, eventId));
    return row?.p != null;
  }

  /**
   * Blanks a Slack message (text, blocks, attachments, files) in every stored event that carries it: the
   * message event, edits, the deletion's `previous_message`. Returns how many stored events changed. The rows
   * are locked as they are read, so a blanking of another message in the same body at the same moment is
   * applied after this one, to the blanked body, and neither is lost.
   */
  blankSlackMessage(channelId: string, ts: string): Promise<number> {
    return atomically(this.session, async () => {
      const db = this.session.db();
      // Only bodies naming both the channel and the ts are read; deletions are rare, so a scan is fine.
      const rows = await db
        .select({ eventId: inboundEvents.eventId, body: inboundEvents.body })
        .from(inboundEvents)
        .where(
          and(
            eq(inboundEvents.source, 'slack'),
            sql`strpos(${inboundEvents.body}, ${JSON.stringify(ts)}) > 0`,
            sql`strpos(${inboundEvents.body}, ${JSON.stringify(channelId)}) > 0`,
          ),
        )
        .orderBy(inboundEvents.eventId)
        .for('update');
      let changed = 0;
      for (const r of rows) {
        const body = blankSlackMessage(r.body, channelId, ts);
        if (body === null) continue;
        await db.update(inboundEvents).set({ body }).where(keyOf('slack', r.eventId));
        changed += 1;
      }
      return changed;
    });
  }

  /**
   * Deletes up to `limit` deliveries that are done with and older than `before`: processed ones (by when they
   * were processed), and ones whose processing gave up (by when they arrived). A delivery still to be
   * processed or retried is never deleted. Returns how many were deleted. Rows another instance's purge is
   * deleting at this moment are skipped, not waited for.
   */
  async purge(before: number, limit: number): Promise<number> {
    const db = this.session.db();
    const expired = or(
      and(isNotNull(inboundEvents.processedAt), lt(inboundEvents.processedAt, before)),
      and(
        isNull(inboundEvents.processedAt),
        gte(inboundEvents.attempts, MAX_INBOUND_ATTEMPTS),
        lt(inboundEvents.receivedAt, before),
      ),
    );
    const batch = db
      .select({ source: inboundEvents.source, eventId: inboundEvents.eventId })
      .from(inboundEvents)
      .where(expired)
      .limit(limit)
      .for('update', { skipLocked: true });
    const result = await db
      .delete(inboundEvents)
      .where(sql`(${inboundEvents.source}, ${inboundEvents.eventId}) in ${batch}`);
    return result.rowCount ?? 0;
  }

  /** Deliveries stored but not processed, oldest first (ties by event id). */
  async pending(source: InboundSource): Promise<InboundEvent[]> {
    const rows = await this.session
      .db()
      .select()
      .from(inboundEvents)
      .where(stillToDo(source))
      .orderBy(asc(inboundEvents.receivedAt), asc(inboundEvents.eventId));
    return rows.map(toEvent);
  }
}
