/** Follow-up action items of incidents, on PostgreSQL. */
import { and, asc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { ActionItem } from '../../../domain/action-item.js';
import type { ActionRepo, OwnerOverdue } from '../../../domain/ports/store.js';
import { actionItems, incidents, ownerRemindersSent } from './schema.js';
import type { PgSession } from './session.js';
import { groupByOwner, toItem } from '../action-repository.js';

export class PgActionRepository implements ActionRepo {
  constructor(private readonly session: PgSession) {}

  /** Records an item, not done; an incident that does not exist throws (foreign key). */
  async add(item: Omit<ActionItem, 'id' | 'doneAt' | 'doneBy'>): Promise<ActionItem> {
    const [added] = await this.session.db().insert(actionItems).values(item).returning();
    return toItem(added!);
  }

  async get(id: number): Promise<ActionItem | null> {
    const [r] = await this.session.db().select().from(actionItems).where(eq(actionItems.id, id));
    return r ? toItem(r) : null;
  }

  /** The incident's items by priority, then by when they were recorded (then as added). */
  async list(incidentNumber: number): Promise<ActionItem[]> {
    const rows = await this.session
      .db()
      .select()
      .from(actionItems)
      .where(eq(actionItems.incidentNumber, incidentNumber))
      .orderBy(asc(actionItems.priority), asc(actionItems.createdAt), asc(actionItems.id));
    return rows.map(toItem);
  }

  /** Blanks an item's text (its timeline entry was redacted); owner, priority and dates stay. */
  async blankText(id: number): Promise<void> {
    await this.session.db().update(actionItems).set({ text: '' }).where(eq(actionItems.id, id));
  }

  /**
   * Marks an item done; false when it was done already. One conditional update, so of two people ticking the
   * same item at once (on two instances), exactly one is told it was theirs.
   */
  async markDone(id: number, by: string, at: number): Promise<boolean> {
    const done = await this.session
      .db()
      .update(actionItems)
      .set({ doneAt: at, doneBy: by })
      .where(and(eq(actionItems.id, id), isNull(actionItems.doneAt)))
      .returning({ id: actionItems.id });
    return done.length === 1;
  }

  /** Sets (or clears) an item's owner; false when there is no such item. */
  async setOwner(id: number, ownerId: string | null): Promise<boolean> {
    const set = await this.session
      .db()
      .update(actionItems)
      .set({ ownerId })
      .where(eq(actionItems.id, id))
      .returning({ id: actionItems.id });
    return set.length === 1;
  }

  /** Makes a done item open again; false when it was not done. */
  async reopen(id: number): Promise<boolean> {
    const opened = await this.session
      .db()
      .update(actionItems)
      .set({ doneAt: null, doneBy: null })
      .where(and(eq(actionItems.id, id), isNotNull(actionItems.doneAt)))
      .returning({ id: actionItems.id });
    return opened.length === 1;
  }

  /** Open items across incidents, by incident then as `list` orders them; private ones only when asked. */
  async listOpen(opts: { includePrivate: boolean }): Promise<ActionItem[]> {
    const rows = await this.session
      .db()
      .select({ a: actionItems })
      .from(actionItems)
      .innerJoin(incidents, eq(incidents.number, actionItems.incidentNumber))
      .where(and(isNull(actionItems.doneAt), opts.includePrivate ? undefined : eq(incidents.private, false)))
      .orderBy(
        asc(actionItems.incidentNumber),
        asc(actionItems.priority),
        asc(actionItems.createdAt),
        asc(actionItems.id),
      );
    return rows.map((r) => toItem(r.a));
  }

  /** Open items with an owner due before `today`, grouped per owner (owners sorted). */
  async overdueByOwner(today: string): Promise<OwnerOverdue[]> {
    const rows = await this.session
      .db()
      .select()
      .from(actionItems)
      .where(and(isNull(actionItems.doneAt), isNotNull(actionItems.ownerId), lt(actionItems.due, today)))
      .orderBy(
        sql`${actionItems.ownerId} collate "C"`,
        asc(actionItems.incidentNumber),
        asc(actionItems.priority),
        asc(actionItems.createdAt),
        asc(actionItems.id),
      );
    return groupByOwner(rows.map(toItem));
  }

  async claimOwnerReminder(ownerId: string, week: string, at: number): Promise<boolean> {
    const claimed = await this.session
      .db()
      .insert(ownerRemindersSent)
      .values({ ownerId, week, sentAt: at })
      .onConflictDoNothing()
      .returning({ week: ownerRemindersSent.week });
    return claimed.length > 0;
  }

  async releaseOwnerReminder(ownerId: string, week: string): Promise<void> {
    await this.session
      .db()
      .delete(ownerRemindersSent)
      .where(and(eq(ownerRemindersSent.ownerId, ownerId), eq(ownerRemindersSent.week, week)));
  }
}
