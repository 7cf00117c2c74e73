/** Follow-ups of action items over SQLite: the tracker outbox, leased as the page outbox is, and the issue. */
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { FollowUp, FollowUpStatus, IssueLookup } from '../../domain/follow-up.js';
import type { FollowUpRepo, Lease } from '../../domain/ports/store.js';
import type { FollowUpTarget, TrackerIssueRef, TrackerKind } from '../../domain/ports/tracker.js';
import type { Db } from './db.js';
import { actionItems, followUps } from './schema.js';
import type { Synchronous } from './serial-store.js';

type Row = typeof followUps.$inferSelect;

/** A row as the port reads it (the PostgreSQL repository reads its rows with it too). */
export const toFollowUp = (r: Row): FollowUp => ({
  actionId: r.actionId,
  incidentNumber: r.incidentNumber,
  target: r.target,
  idempotencyKey: r.idempotencyKey,
  status: r.status as FollowUpStatus,
  attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt,
  lastError: r.lastError,
  failureNotifiedAt: r.failureNotifiedAt,
  issue:
    r.issueTracker !== null && r.issueId !== null && r.issueKey !== null && r.issueUrl !== null
      ? { tracker: r.issueTracker as TrackerKind, id: r.issueId, key: r.issueKey, url: r.issueUrl }
      : null,
  checkedAt: r.checkedAt,
  createdAt: r.createdAt,
  claimedBy: r.claimedBy,
  claimedUntil: r.claimedUntil,
});

const unclaimed = { claimedBy: null, claimedUntil: null };

/** FollowUpRepo over drizzle. */
export class FollowUpRepository implements Synchronous<FollowUpRepo> {
  constructor(private readonly db: Db) {}

  queue(f: { actionId: number; target: FollowUpTarget; idempotencyKey: string; now: number }): boolean {
    const action = this.db
      .select({ incidentNumber: actionItems.incidentNumber })
      .from(actionItems)
      .where(eq(actionItems.id, f.actionId))
      .get();
    if (!action) throw new Error('FOREIGN KEY constraint failed');
    const r = this.db
      .insert(followUps)
      .values({
        actionId: f.actionId,
        incidentNumber: action.incidentNumber,
        target: f.target,
        idempotencyKey: f.idempotencyKey,
        nextAttemptAt: f.now,
        createdAt: f.now,
      })
      .onConflictDoNothing({ target: followUps.actionId })
      .run();
    return r.changes === 1;
  }

  get(actionId: number): FollowUp | null {
    const r = this.db.select().from(followUps).where(eq(followUps.actionId, actionId)).get();
    return r ? toFollowUp(r) : null;
  }

  ofIncident(incidentNumber: number): FollowUp[] {
    return this.db
      .select()
      .from(followUps)
      .where(eq(followUps.incidentNumber, incidentNumber))
      .orderBy(asc(followUps.actionId))
      .all()
      .map(toFollowUp);
  }

  claimDue(now: number, c: Lease & { limit: number }): FollowUp[] {
    const batch = this.db
      .select({ id: followUps.actionId })
      .from(followUps)
      .where(
        and(
          eq(followUps.status, 'pending'),
          lte(followUps.nextAttemptAt, now),
          or(isNull(followUps.claimedUntil), lte(followUps.claimedUntil, now)),
        ),
      )
      .orderBy(asc(followUps.actionId))
      .limit(c.limit);
    return this.db
      .update(followUps)
      .set({ claimedBy: c.owner, claimedUntil: c.until, attempts: sql`${followUps.attempts} + 1` })
      .where(sql`${followUps.actionId} in ${batch}`)
      .returning()
      .all()
      .sort((a, b) => a.actionId - b.actionId)
      .map(toFollowUp);
  }

  markCreated(actionId: number, owner: string, issue: TrackerIssueRef, _now: number): boolean {
    return this.settle(actionId, owner, {
      status: 'created',
      lastError: null,
      issueTracker: issue.tracker,
      issueId: issue.id,
      issueKey: issue.key,
      issueUrl: issue.url,
    });
  }

  retryLater(actionId: number, owner: string, error: string, nextAttemptAt: number): boolean {
    return this.settle(actionId, owner, { lastError: error, nextAttemptAt });
  }

  markFailed(actionId: number, owner: string, error: string): boolean {
    return this.settle(actionId, owner, { status: 'failed', lastError: error, failureNotifiedAt: null });
  }

  markFailureNotified(actionId: number, at: number): boolean {
    const r = this.db
      .update(followUps)
      .set({ failureNotifiedAt: at })
      .where(
        and(
          eq(followUps.actionId, actionId),
          eq(followUps.status, 'failed'),
          isNull(followUps.failureNotifiedAt),
        ),
      )
      .run();
    return r.changes === 1;
  }

  retry(actionId: number, now: number): boolean {
    const r = this.db
      .update(followUps)
      .set({ status: 'pending', nextAttemptAt: now, failureNotifiedAt: null })
      .where(and(eq(followUps.actionId, actionId), eq(followUps.status, 'failed')))
      .run();
    return r.changes === 1;
  }

  findByIssue(lookup: IssueLookup): FollowUp | null {
    const r = this.db
      .select()
      .from(followUps)
      .where(and(eq(followUps.issueTracker, lookup.tracker), eq(followUps.issueId, lookup.issueId)))
      .get();
    return r ? toFollowUp(r) : null;
  }

  dueForCheck(limit: number): FollowUp[] {
    return this.db
      .select({ f: followUps })
      .from(followUps)
      .innerJoin(actionItems, eq(actionItems.id, followUps.actionId))
      .where(and(eq(followUps.status, 'created'), isNull(actionItems.doneAt)))
      .orderBy(sql`coalesce(${followUps.checkedAt}, -1)`, asc(followUps.actionId))
      .limit(limit)
      .all()
      .map((r) => toFollowUp(r.f));
  }

  markChecked(actionId: number, at: number): void {
    this.db.update(followUps).set({ checkedAt: at }).where(eq(followUps.actionId, actionId)).run();
  }

  /** Applies `set` and lets go of the lease when `owner` holds the pending row. */
  private settle(actionId: number, owner: string, set: Partial<typeof followUps.$inferInsert>): boolean {
    const r = this.db
      .update(followUps)
      .set({ ...set, ...unclaimed })
      .where(
        and(
          eq(followUps.actionId, actionId),
          eq(followUps.status, 'pending'),
          eq(followUps.claimedBy, owner),
        ),
      )
      .run();
    return r.changes === 1;
  }
}
