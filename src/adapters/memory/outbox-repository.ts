/**
 * The outbox in memory: rows pending until delivered, failed for good or cancelled; due once their next
 * attempt time has come; every attempt counted; the "delayed" notice claimed once.
 */
import type { OutboxKind, OutboxPayload, OutboxRepo, OutboxRow } from '../../domain/ports.js';
import { asJson, copy, type MemoryDb, nextId } from './tables.js';

/** OutboxRepo in memory. */
export class MemoryOutboxRepository implements OutboxRepo {
  constructor(private readonly db: MemoryDb) {}

  private pendingRows(): OutboxRow[] {
    return [...this.db.tables.outbox.values()].filter((r) => r.state === 'pending');
  }

  add(
    input: { incidentNumber: number | null; kind: OutboxKind; payload: OutboxPayload },
    now: number,
  ): OutboxRow {
    const t = this.db.tables;
    // no foreign key: a row may outlive or precede its incident
    const row: OutboxRow = {
      id: nextId(t, 'outbox'),
      incidentNumber: input.incidentNumber,
      kind: input.kind,
      payload: asJson(input.payload),
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      delayNotifiedAt: null,
      createdAt: now,
      deliveredAt: null,
    };
    t.outbox.set(row.id, row);
    return copy(row);
  }

  get(id: number): OutboxRow | null {
    const row = this.db.tables.outbox.get(id);
    return row ? copy(row) : null;
  }

  pending(): OutboxRow[] {
    return this.pendingRows().map(copy);
  }

  due(now: number): OutboxRow[] {
    return this.pendingRows()
      .filter((r) => r.nextAttemptAt <= now)
      .map(copy);
  }

  markDelivered(id: number, now: number): void {
    const row = this.db.tables.outbox.get(id);
    if (!row) return;
    Object.assign(row, { state: 'delivered', deliveredAt: now, attempts: row.attempts + 1 });
  }

  markFailed(id: number, error: string): void {
    const row = this.db.tables.outbox.get(id);
    if (!row) return;
    Object.assign(row, { state: 'failed', lastError: error.slice(0, 500), attempts: row.attempts + 1 });
  }

  cancel(id: number, reason: string): void {
    const row = this.db.tables.outbox.get(id);
    if (!row) return;
    Object.assign(row, { state: 'cancelled', lastError: reason.slice(0, 500) });
  }

  retryLater(
    id: number,
    change: { nextAttemptAt: number; error: string; payload?: OutboxPayload },
  ): OutboxRow {
    const row = this.db.tables.outbox.get(id);
    if (!row) throw new Error(`outbox row ${id} does not exist`);
    row.attempts += 1;
    row.nextAttemptAt = change.nextAttemptAt;
    row.lastError = change.error.slice(0, 500);
    if (change.payload) row.payload = asJson(change.payload);
    return copy(row);
  }

  claimDelayNotice(id: number, now: number): boolean {
    const row = this.db.tables.outbox.get(id);
    if (!row || row.delayNotifiedAt !== null) return false;
    row.delayNotifiedAt = now;
    return true;
  }

  backlog(): { pending: number; oldestCreatedAt: number | null } {
    const rows = this.pendingRows();
    return {
      pending: rows.length,
      oldestCreatedAt: rows.length === 0 ? null : Math.min(...rows.map((r) => r.createdAt)),
    };
  }
}
