/**
 * Follow-ups of action items on PostgreSQL: the tracker outbox and the issue. `claimDue` locks the rows it
 * leases with SKIP LOCKED, so two instances claiming at once take different rows, never the same one.
 */
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { FollowUp, IssueLookup } from '../../../domain/follow-up.js';
import type { FollowUpRepo, Lease } from '../../../domain/ports/store.js';
import type { FollowUpTarget, TrackerIssueRef } from '../../../domain/ports/tracker.js';
import { toFollowUp } from '../follow-up-repository.js';
import { actionItems, followUps } from './schema.js';
import type { PgSession } from './session.js';

const unclaimed = { claimedBy: null, claimedUntil: null };

export class PgFollowUpRepository implements FollowUpRepo {
  constructor(private readonly session: PgSession) {}

  /** Queues the action's issue; an action that does not exist throws (foreign key). */
  async queue(f: {
    actionId: number;
    target: FollowUpTarget;
    idempotencyKey: string;
    now: number;
  }): Promise<boolean> {
    const db = this.session.db();
    const [action] = await db
      .select({ incidentNumber: actionItems.incidentNumber })
      .from(actionItems)
      .where(eq(actionItems.id, f.actionId));
    if (!action) throw new Error(`no action item ${f.actionId} (foreign key)`);
    const added = await db
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
      .returning({ id: followUps.actionId });
    return added.length === 1;
  }

  async get(actionId: number): Promise<FollowUp | null> {
    const [r] = await this.session.db().select().from(followUps).where(eq(followUps.actionId, actionId));
    return r ? toFollowUp(r) : null;
  }

  async ofIncident(incidentNumber: number): Promise<FollowUp[]> {
    const rows = await this.session
      .db()
      .select()
      .from(followUps)
      .where(eq(followUps.incidentNumber, incidentNumber))
      .orderBy(asc(followUps.actionId));
    return rows.map(toFollowUp);
  }

  async claimDue(now: number, c: Lease & { limit: number }): Promise<FollowUp[]> {
    const db = this.session.db();
    const batch = db
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
      .limit(Math.max(c.limit, 0))
      .for('update', { skipLocked: true });
    const rows = await db
      .update(followUps)
      .set({ claimedBy: c.owner, claimedUntil: c.until, attempts: sql`${followUps.attempts} + 1` })
      .where(sql`${followUps.actionId} in ${batch}`)
      .returning();
    return rows.sort((a, b) => a.actionId - b.actionId).map(toFollowUp);
  }

  markCreated(actionId: number, owner: string, issue: TrackerIssueRef, _now: number): Promise<boolean> {
    return this.settle(actionId, owner, {
      status: 'created',
      lastError: null,
      issueTracker: issue.tracker,
      issueId: issue.id,
      issueKey: issue.key,
      issueUrl: issue.url,
    });
  }

  retryLater(actionId: number, owner: string, error: string, nextAttemptAt: number): Promise<boolean> {
    return this.settle(actionId, owner, { lastError: error, nextAttemptAt });
  }

  markFailed(actionId: number, owner: string, error: string): Promise<boolean> {
    return this.settle(actionId, owner, { status: 'failed', lastError: error, failureNotifiedAt: null });
  }

  async markFailureNotified(actionId: number, at: number): Promise<boolean> {
    const r = await this.session
      .db()
      .update(followUps)
      .set({ failureNotifiedAt: at })
      .where(
        and(
          eq(followUps.actionId, actionId),
          eq(followUps.status, 'failed'),
          isNull(followUps.failureNotifiedAt),
        ),
      )
      .returning({ id: followUps.actionId });
    return r.length === 1;
  }

  async retry(actionId: number, now: number): Promise<boolean> {
    const r = await this.session
      .db()
      .update(followUps)
      .set({ status: 'pending', nextAttemptAt: now, failureNotifiedAt: null })
      .where(and(eq(followUps.actionId, actionId), eq(followUps.status, 'failed')))
      .returning({ id: followUps.actionId });
    return r.length === 1;
  }

  async findByIssue(lookup: IssueLookup): Promise<FollowUp | null> {
    const [r] = await this.session
      .db()
      .select()
      .from(followUps)
      .where(and(eq(followUps.issueTracker, lookup.tracker), eq(followUps.issueId, lookup.issueId)));
    return r ? toFollowUp(r) : null;
  }

  async dueForCheck(limit: number): Promise<FollowUp[]> {
    const rows = await this.session
      .db()
      .select({ f: followUps })
      .from(followUps)
      .innerJoin(actionItems, eq(actionItems.id, followUps.actionId))
      .where(and(eq(followUps.status, 'created'), isNull(actionItems.doneAt)))
      .orderBy(sql`coalesce(${followUps.checkedAt}, -1)`, asc(followUps.actionId))
      .limit(Math.max(limit, 0));
    return rows.map((r) => toFollowUp(r.f));
  }

  async markChecked(actionId: number, at: number): Promise<void> {
    await this.session.db().update(followUps).set({ checkedAt: at }).where(eq(followUps.actionId, actionId));
  }

  /** Applies `set` and lets go of the lease when `owner` holds the pending row. */
  private async settle(
    actionId: number,
    owner: string,
    set: Partial<typeof followUps.$inferInsert>,
  ): Promise<boolean> {
    const r = await this.session
      .db()
      .update(followUps)
      .set({ ...set, ...unclaimed })
      .where(
        and(
          eq(followUps.actionId, actionId),
          eq(followUps.status, 'pending'),
          eq(followUps.claimedBy, owner),
        ),
      )
      .returning({ id: followUps.actionId });
    return r.length === 1;
  }
}
