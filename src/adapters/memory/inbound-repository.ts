/**
 * Inbound deliveries in memory, keyed by (source, event id) so a redelivery is a no-op; claimed, processed,
 * given up and purged by the same rules as the SQLite inbox (`MAX_INBOUND_ATTEMPTS`, the same Slack blanking).
 */
import type { InboundEvent, InboundSource, InboxRepo, Lease, StaleClaim } from '../../domain/ports.js';
import { MAX_INBOUND_ATTEMPTS } from '../../domain/ports/store.js';
import { blankSlackMessage } from '../../domain/slack-message-blanking.js';
import { type InboundRow, keyOf, type MemoryDb } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** InboxRepo in memory. */
export class MemoryInboundRepository implements Synchronous<InboxRepo> {
  constructor(private readonly db: MemoryDb) {}

  private row(source: InboundSource, eventId: string): InboundRow | undefined {
    return this.db.tables.inbound.get(keyOf(source, eventId));
  }

  record(source: InboundSource, eventId: string, body: string, at: number, claim?: Lease): boolean {
    const rows = this.db.tables.inbound;
    const key = keyOf(source, eventId);
    if (rows.has(key)) return false;
    rows.set(key, {
      source,
      eventId,
      body,
      receivedAt: at,
      processedAt: null,
      attempts: 0,
      lastError: null,
      claimedBy: claim?.owner ?? null,
      claimedUntil: claim?.until ?? null,
    });
    return true;
  }

  claimStale(source: InboundSource, c: StaleClaim): InboundEvent[] {
    const claimed = this.stillToDo(source)
      .filter((r) => r.receivedAt < c.receivedBefore && (r.claimedUntil === null || r.claimedUntil <= c.now))
      .slice(0, Math.max(c.limit, 0));
    for (const r of claimed) {
      r.claimedBy = c.owner;
      r.claimedUntil = c.until;
    }
    return claimed.map(toEvent);
  }

  markProcessed(source: InboundSource, eventId: string, at: number): void {
    const row = this.row(source, eventId);
    if (!row) return;
    row.processedAt = at;
    row.lastError = null;
    row.claimedBy = null;
    row.claimedUntil = null;
  }

  markAllProcessed(source: InboundSource, eventIds: readonly string[], at: number): void {
    for (const eventId of eventIds) this.markProcessed(source, eventId, at);
  }

  markFailed(source: InboundSource, eventId: string, error: string): number {
    const row = this.row(source, eventId);
    if (!row) return 0;
    row.attempts += 1;
    row.lastError = error.slice(0, 500);
    row.claimedBy = null;
    row.claimedUntil = null;
    return row.attempts;
  }

  isProcessed(source: InboundSource, eventId: string): boolean {
    return this.row(source, eventId)?.processedAt != null;
  }

  blankSlackMessage(channelId: string, ts: string): number {
    let changed = 0;
    for (const row of this.db.tables.inbound.values()) {
      if (row.source !== 'slack') continue;
      if (!row.body.includes(JSON.stringify(ts)) || !row.body.includes(JSON.stringify(channelId))) continue;
      const body = blankSlackMessage(row.body, channelId, ts);
      if (body === null) continue;
      row.body = body;
      changed += 1;
    }
    return changed;
  }

  purge(before: number, limit: number): number {
    const rows = this.db.tables.inbound;
    const expired = [...rows.entries()].filter(([, r]) =>
      r.processedAt !== null
        ? r.processedAt < before
        : r.attempts >= MAX_INBOUND_ATTEMPTS && r.receivedAt < before,
    );
    // SQLite's LIMIT: a negative limit means none
    const batch = limit < 0 ? expired : expired.slice(0, limit);
    for (const [key] of batch) rows.delete(key);
    return batch.length;
  }

  pending(source: InboundSource): InboundEvent[] {
    return this.stillToDo(source).map(toEvent);
  }

  /** The deliveries of `source` not processed nor given up, oldest first (ties by event id). */
  private stillToDo(source: InboundSource): InboundRow[] {
    return [...this.db.tables.inbound.values()]
      .filter((r) => r.source === source && r.processedAt === null && r.attempts < MAX_INBOUND_ATTEMPTS)
      .sort((a, b) => a.receivedAt - b.receivedAt || (a.eventId < b.eventId ? -1 : 1));
  }
}

const toEvent = (r: InboundRow): InboundEvent => ({
  source: r.source,
  eventId: r.eventId,
  body: r.body,
  receivedAt: r.receivedAt,
  attempts: r.attempts,
});
