/**
 * Inbound deliveries (Slack events, PagerDuty webhooks) are stored before they are acknowledged, then
 * processed; an unprocessed row after a restart is processed then. The primary key (source, event_id)
 * turns a redelivery into a no-op.
 */
import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from './db.js';
import { inboundEvents } from './schema.js';

export type InboundSource = 'slack' | 'pagerduty';

export interface InboundEvent {
  source: InboundSource;
  eventId: string;
  body: string;
  receivedAt: number;
  attempts: number;
}

/** Processing stops being retried after this many failed attempts (the row stays, with its last error). */
export const MAX_INBOUND_ATTEMPTS = 5;

export class InboundRepository {
  constructor(private readonly db: Db) {}

  /** Stores a delivery; false when it was stored before (a retry or redelivery). */
  record(source: InboundSource, eventId: string, body: string, at: number): boolean {
    const r = this.db
      .insert(inboundEvents)
      .values({ source, eventId, body, receivedAt: at })
      .onConflictDoNothing()
      .run();
    return r.changes === 1;
  }

  markProcessed(source: InboundSource, eventId: string, at: number): void {
    this.db
      .update(inboundEvents)
      .set({ processedAt: at, lastError: null })
      .where(and(eq(inboundEvents.source, source), eq(inboundEvents.eventId, eventId)))
      .run();
  }

  markFailed(source: InboundSource, eventId: string, error: string): void {
    const row = this.db
      .select()
      .from(inboundEvents)
      .where(and(eq(inboundEvents.source, source), eq(inboundEvents.eventId, eventId)))
      .get();
    if (!row) return;
    this.db
      .update(inboundEvents)
      .set({ attempts: row.attempts + 1, lastError: error.slice(0, 500) })
      .where(and(eq(inboundEvents.source, source), eq(inboundEvents.eventId, eventId)))
      .run();
  }

  isProcessed(source: InboundSource, eventId: string): boolean {
    const row = this.db
      .select({ p: inboundEvents.processedAt })
      .from(inboundEvents)
      .where(and(eq(inboundEvents.source, source), eq(inboundEvents.eventId, eventId)))
      .get();
    return row?.p != null;
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
      .map((r) => ({
        source: r.source as InboundSource,
        eventId: r.eventId,
        body: r.body,
        receivedAt: r.receivedAt,
        attempts: r.attempts,
      }));
  }
}
