/** Follow-ups in memory: one row per action item, the tracker outbox and the issue it became. */
import type { FollowUp, IssueLookup } from '../../domain/follow-up.js';
import type { FollowUpRepo, Lease } from '../../domain/ports.js';
import type { FollowUpTarget, TrackerIssueRef } from '../../domain/ports/tracker.js';
import type { Synchronous } from '../store/serial-store.js';
import { copy, type MemoryDb } from './tables.js';

/** FollowUpRepo in memory. */
export class MemoryFollowUpRepository implements Synchronous<FollowUpRepo> {
  constructor(private readonly db: MemoryDb) {}

  queue(f: { actionId: number; target: FollowUpTarget; idempotencyKey: string; now: number }): boolean {
    const t = this.db.tables;
    const action = t.actions.get(f.actionId);
    if (!action) throw new Error('FOREIGN KEY constraint failed');
    if (t.followUps.has(f.actionId)) return false;
    if ([...t.followUps.values()].some((r) => r.idempotencyKey === f.idempotencyKey)) {
      throw new Error('UNIQUE constraint failed: follow_ups.idempotency_key');
    }
    t.followUps.set(f.actionId, {
      actionId: f.actionId,
      incidentNumber: action.incidentNumber,
      target: copy(f.target),
      idempotencyKey: f.idempotencyKey,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: f.now,
      lastError: null,
      failureNotifiedAt: null,
      issue: null,
      checkedAt: null,
      createdAt: f.now,
      claimedBy: null,
      claimedUntil: null,
    });
    return true;
  }

  get(actionId: number): FollowUp | null {
    const row = this.db.tables.followUps.get(actionId);
    return row ? copy(row) : null;
  }

  ofIncident(incidentNumber: number): FollowUp[] {
    return this.rows()
      .filter((r) => r.incidentNumber === incidentNumber)
      .map(copy);
  }

  claimDue(now: number, c: Lease & { limit: number }): FollowUp[] {
    const due = this.rows()
      .filter(
        (r) =>
          r.status === 'pending' &&
          r.nextAttemptAt <= now &&
          (r.claimedUntil === null || r.claimedUntil <= now),
      )
      .slice(0, c.limit);
    for (const r of due) {
      r.claimedBy = c.owner;
      r.claimedUntil = c.until;
      r.attempts += 1;
    }
    return due.map(copy);
  }

  markCreated(actionId: number, owner: string, issue: TrackerIssueRef, _now: number): boolean {
    return this.settle(actionId, owner, (r) => {
      r.status = 'created';
      r.issue = copy(issue);
      r.lastError = null;
    });
  }

  retryLater(actionId: number, owner: string, error: string, nextAttemptAt: number): boolean {
    return this.settle(actionId, owner, (r) => {
      r.lastError = error;
      r.nextAttemptAt = nextAttemptAt;
    });
  }

  markFailed(actionId: number, owner: string, error: string): boolean {
    return this.settle(actionId, owner, (r) => {
      r.status = 'failed';
      r.lastError = error;
      r.failureNotifiedAt = null;
    });
  }

  markFailureNotified(actionId: number, at: number): boolean {
    const r = this.db.tables.followUps.get(actionId);
    if (r?.status !== 'failed' || r.failureNotifiedAt !== null) return false;
    r.failureNotifiedAt = at;
    return true;
  }

  retry(actionId: number, now: number): boolean {
    const r = this.db.tables.followUps.get(actionId);
    if (r?.status !== 'failed') return false;
    r.status = 'pending';
    r.nextAttemptAt = now;
    r.failureNotifiedAt = null;
    return true;
  }

  findByIssue(lookup: IssueLookup): FollowUp | null {
    const r = this.rows().find((f) => f.issue?.tracker === lookup.tracker && f.issue.id === lookup.issueId);
    return r ? copy(r) : null;
  }

  dueForCheck(limit: number): FollowUp[] {
    const actions = this.db.tables.actions;
    return this.rows()
      .filter((r) => r.status === 'created' && r.issue !== null && actions.get(r.actionId)?.doneAt === null)
      .sort((a, b) => (a.checkedAt ?? -1) - (b.checkedAt ?? -1) || a.actionId - b.actionId)
      .slice(0, limit)
      .map(copy);
  }

  markChecked(actionId: number, at: number): void {
    const r = this.db.tables.followUps.get(actionId);
    if (r) r.checkedAt = at;
  }

  /** by action id, as SQLite's primary key orders them */
  private rows(): FollowUp[] {
    return [...this.db.tables.followUps.values()].sort((a, b) => a.actionId - b.actionId);
  }

  /** Applies `change` and lets go of the lease when `owner` holds the pending row. */
  private settle(actionId: number, owner: string, change: (r: FollowUp) => void): boolean {
    const r = this.db.tables.followUps.get(actionId);
    if (r?.status !== 'pending' || r.claimedBy !== owner) return false;
    change(r);
    r.claimedBy = null;
    r.claimedUntil = null;
    return true;
  }
}
