/**
 * The outbox in memory: rows pending until delivered, failed for good or cancelled; due once their next
 * attempt time has come; claimed by lease, a page's rows in order; every attempt counted; the "delayed" notice
 * claimed once.
 */
import type { Lease, OutboxKind, OutboxPayload, OutboxRepo, OutboxRow } from '../../domain/ports.js';
import { asJson, copy, type MemoryDb, nextId, type OutboxTableRow } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** What every outcome writes besides its own fields: nobody holds the row any more. */
const unclaimed = { claimedBy: null, claimedUntil: null };

/** A copy for the caller, without the lease (the port never hands it out). */
const view = ({ claimedBy: _by, claimedUntil: _until, ...row }: OutboxTableRow): OutboxRow => copy(row);

/** OutboxRepo in memory. */
export class MemoryOutboxRepository implements Synchronous<OutboxRepo> {
  constructor(private readonly db: MemoryDb) {}

  private pendingRows(): OutboxTableRow[] {
    return [...this.db.tables.outbox.values()].filter((r) => r.state === 'pending');
  }

  add(
    input: { incidentNumber: number | null; kind: OutboxKind; payload: OutboxPayload },
    now: number,
  ): OutboxRow {
    const t = this.db.tables;
    // no foreign key: a row may outlive or precede its incident
    const row: OutboxTableRow = {
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
      claimedBy: null,
      claimedUntil: null,
    };
    t.outbox.set(row.id, row);
    return view(row);
  }

  get(id: number): OutboxRow | null {
    const row = this.db.tables.outbox.get(id);
    return row ? view(row) : null;
  }

  pending(): OutboxRow[] {
    return this.pendingRows().map(view);
  }

  due(now: number): OutboxRow[] {
    return this.pendingRows()
      .filter((r) => r.nextAttemptAt <= now)
      .map(view);
  }

  claimDue(now: number, c: Lease & { limit: number }): OutboxRow[] {
    const pending = this.pendingRows();
    const firstOfPage = (r: OutboxTableRow) =>
      !pending.some((e) => e.id < r.id && e.payload.pageId === r.payload.pageId);
    const claimed = pending
      .filter(
        (r) => r.nextAttemptAt <= now && (r.claimedUntil === null || r.claimedUntil <= now) && firstOfPage(r),
      )
      .slice(0, Math.max(c.limit, 0));
    for (const r of claimed) Object.assign(r, { claimedBy: c.owner, claimedUntil: c.until });
    return claimed.map(view);
  }

  release(id: number, owner: string): void {
    const row = this.db.tables.outbox.get(id);
    if (row?.claimedBy === owner) Object.assign(row, unclaimed);
  }

  markDelivered(id: number, now: number): void {
    const row = this.db.tables.outbox.get(id);
    if (!row) return;
    Object.assign(row, { state: 'delivered', deliveredAt: now, attempts: row.attempts + 1, ...unclaimed });
  }

  markFailed(id: number, error: string): void {
    const row = this.db.tables.outbox.get(id);
    if (!row) return;
    Object.assign(row, {
      state: 'failed',
      lastError: error.slice(0, 500),
      attempts: row.attempts + 1,
      ...unclaimed,
    });
  }

  cancel(id: number, reason: string): void {
    const row = this.db.tables.outbox.get(id);
    if (!row) return;
    Object.assign(row, { state: 'cancelled', lastError: reason.slice(0, 500), ...unclaimed });
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
    Object.assign(row, unclaimed);
    return view(row);
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
