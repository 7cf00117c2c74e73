/** Follow-up action items in memory: listed by priority, then by when they were recorded; done once. */
import type { ActionItem } from '../../domain/action-item.js';
import type { ActionRepo, OwnerOverdue } from '../../domain/ports.js';
import { checkIncident, copy, type MemoryDb, nextId } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** ActionRepo in memory. */
export class MemoryActionRepository implements Synchronous<ActionRepo> {
  constructor(private readonly db: MemoryDb) {}

  add(item: Omit<ActionItem, 'id' | 'doneAt' | 'doneBy'>): ActionItem {
    const t = this.db.tables;
    checkIncident(t, item.incidentNumber);
    const row: ActionItem = {
      id: nextId(t, 'actions'),
      incidentNumber: item.incidentNumber,
      text: item.text,
      ownerId: item.ownerId,
      priority: item.priority,
      due: item.due,
      createdBy: item.createdBy,
      createdAt: item.createdAt,
      doneAt: null,
      doneBy: null,
    };
    t.actions.set(row.id, row);
    return copy(row);
  }

  get(id: number): ActionItem | null {
    const row = this.db.tables.actions.get(id);
    return row ? copy(row) : null;
  }

  list(incidentNumber: number): ActionItem[] {
    return [...this.db.tables.actions.values()]
      .filter((a) => a.incidentNumber === incidentNumber)
      .sort(
        (a, b) =>
          (a.priority < b.priority ? -1 : a.priority > b.priority ? 1 : 0) ||
          a.createdAt - b.createdAt ||
          a.id - b.id,
      )
      .map(copy);
  }

  blankText(id: number): void {
    const row = this.db.tables.actions.get(id);
    if (row) row.text = '';
  }

  markDone(id: number, by: string, at: number): boolean {
    const row = this.db.tables.actions.get(id);
    if (!row || row.doneAt !== null) return false;
    row.doneAt = at;
    row.doneBy = by;
    return true;
  }

  setOwner(id: number, ownerId: string | null): boolean {
    const row = this.db.tables.actions.get(id);
    if (!row) return false;
    row.ownerId = ownerId;
    return true;
  }

  reopen(id: number): boolean {
    const row = this.db.tables.actions.get(id);
    if (!row || row.doneAt === null) return false;
    row.doneAt = null;
    row.doneBy = null;
    return true;
  }

  listOpen(opts: { includePrivate: boolean }): ActionItem[] {
    const incidents = this.db.tables.incidents;
    return this.sorted(
      [...this.db.tables.actions.values()].filter(
        (a) => a.doneAt === null && (opts.includePrivate || !incidents.get(a.incidentNumber)?.private),
      ),
    ).sort((a, b) => a.incidentNumber - b.incidentNumber);
  }

  overdueByOwner(today: string): OwnerOverdue[] {
    const byOwner = new Map<string, ActionItem[]>();
    const open = this.sorted(
      [...this.db.tables.actions.values()].filter(
        (a) => a.doneAt === null && a.ownerId !== null && a.due !== null && a.due < today,
      ),
    ).sort((a, b) => a.incidentNumber - b.incidentNumber);
    for (const a of open) byOwner.set(a.ownerId as string, [...(byOwner.get(a.ownerId as string) ?? []), a]);
    return [...byOwner.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([ownerId, items]) => ({ ownerId, items }));
  }

  claimOwnerReminder(ownerId: string, week: string, at: number): boolean {
    const t = this.db.tables.ownerReminders;
    const key = `${ownerId} ${week}`;
    if (t.has(key)) return false;
    t.set(key, { ownerId, week, sentAt: at });
    return true;
  }

  releaseOwnerReminder(ownerId: string, week: string): void {
    this.db.tables.ownerReminders.delete(`${ownerId} ${week}`);
  }

  /** Copies, by priority, then by when recorded, then as added. */
  private sorted(items: ActionItem[]): ActionItem[] {
    return items
      .sort(
        (a, b) =>
          (a.priority < b.priority ? -1 : a.priority > b.priority ? 1 : 0) ||
          a.createdAt - b.createdAt ||
          a.id - b.id,
      )
      .map(copy);
  }
}
