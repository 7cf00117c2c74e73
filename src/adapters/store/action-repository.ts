/** Follow-up action items of incidents. */
import type { ActionRepo, OwnerOverdue } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, asc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { ActionItem } from '../../domain/action-item.js';
import type { Priority } from '../../domain/command.js';
import type { Db } from './db.js';
import { actionItems, incidents, ownerRemindersSent } from './schema.js';

type Row = typeof actionItems.$inferSelect;

export const toItem = (r: Row): ActionItem => ({
  id: r.id,
  incidentNumber: r.incidentNumber,
  text: r.text,
  ownerId: r.ownerId,
  priority: r.priority as Priority,
  due: r.due,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  doneAt: r.doneAt,
  doneBy: r.doneBy,
});

export class ActionRepository implements Synchronous<ActionRepo> {
  constructor(private readonly db: Db) {}

  add(item: Omit<ActionItem, 'id' | 'doneAt' | 'doneBy'>): ActionItem {
    return toItem(this.db.insert(actionItems).values(item).returning().get());
  }

  get(id: number): ActionItem | null {
    const r = this.db.select().from(actionItems).where(eq(actionItems.id, id)).get();
    return r ? toItem(r) : null;
  }

  /** The incident's items by priority, then by when they were recorded. */
  list(incidentNumber: number): ActionItem[] {
    return this.db
      .select()
      .from(actionItems)
      .where(eq(actionItems.incidentNumber, incidentNumber))
      .orderBy(asc(actionItems.priority), asc(actionItems.createdAt), asc(actionItems.id))
      .all()
      .map(toItem);
  }

  /** Blanks an item's text (its timeline entry was redacted); owner, priority and dates stay. */
  blankText(id: number): void {
    this.db.update(actionItems).set({ text: '' }).where(eq(actionItems.id, id)).run();
  }

  /** Marks an item done; false when it was done already. */
  markDone(id: number, by: string, at: number): boolean {
    const r = this.db
      .update(actionItems)
      .set({ doneAt: at, doneBy: by })
      .where(and(eq(actionItems.id, id), isNull(actionItems.doneAt)))
      .run();
    return r.changes === 1;
  }

  /** Sets (or clears) an item's owner; false when there is no such item. */
  setOwner(id: number, ownerId: string | null): boolean {
    return this.db.update(actionItems).set({ ownerId }).where(eq(actionItems.id, id)).run().changes === 1;
  }

  /** Makes a done item open again; false when it was not done. */
  reopen(id: number): boolean {
    const r = this.db
      .update(actionItems)
      .set({ doneAt: null, doneBy: null })
      .where(and(eq(actionItems.id, id), isNotNull(actionItems.doneAt)))
      .run();
    return r.changes === 1;
  }

  /** Open items across incidents, by incident then as `list` orders them; private ones only when asked. */
  listOpen(opts: { includePrivate: boolean }): ActionItem[] {
    return this.db
      .select({ a: actionItems })
      .from(actionItems)
      .innerJoin(incidents, eq(incidents.number, actionItems.incidentNumber))
      .where(and(isNull(actionItems.doneAt), opts.includePrivate ? undefined : eq(incidents.private, false)))
      .orderBy(...openOrder)
      .all()
      .map((r) => toItem(r.a));
  }

  /** Open items with an owner due before `today`, grouped per owner (owners sorted). */
  overdueByOwner(today: string): OwnerOverdue[] {
    const rows = this.db
      .select()
      .from(actionItems)
      .where(and(isNull(actionItems.doneAt), isNotNull(actionItems.ownerId), lt(actionItems.due, today)))
      .orderBy(asc(actionItems.ownerId), ...openOrder)
      .all()
      .map(toItem);
    return groupByOwner(rows);
  }

  claimOwnerReminder(ownerId: string, week: string, at: number): boolean {
    return (
      this.db.insert(ownerRemindersSent).values({ ownerId, week, sentAt: at }).onConflictDoNothing().run()
        .changes > 0
    );
  }

  releaseOwnerReminder(ownerId: string, week: string): void {
    this.db
      .delete(ownerRemindersSent)
      .where(and(eq(ownerRemindersSent.ownerId, ownerId), eq(ownerRemindersSent.week, week)))
      .run();
  }
}

/** Across incidents: by incident, then by priority, when recorded, and as added. */
export const openOrder = [
  asc(actionItems.incidentNumber),
  asc(actionItems.priority),
  asc(actionItems.createdAt),
  asc(actionItems.id),
];

/** Items sorted by owner, as one group per owner. */
export function groupByOwner(items: ActionItem[]): OwnerOverdue[] {
  const groups: OwnerOverdue[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last.ownerId === item.ownerId) last.items.push(item);
    else groups.push({ ownerId: item.ownerId as string, items: [item] });
  }
  return groups;
}
