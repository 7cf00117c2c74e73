/** Follow-up action items in memory: listed by priority, then by when they were recorded; done once. */
import type { ActionItem } from '../../domain/action-item.js';
import type { ActionRepo } from '../../domain/ports.js';
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
}
