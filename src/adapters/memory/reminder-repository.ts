/** Reminders claimed per incident, in memory: a claim is one row, given back by deleting it. */
import type { ReminderRepo } from '../../domain/ports.js';
import { checkIncident, keyOf, type MemoryDb } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** ReminderRepo in memory. */
export class MemoryReminderRepository implements Synchronous<ReminderRepo> {
  constructor(private readonly db: MemoryDb) {}

  claim(incidentNumber: number, key: string, at: number): boolean {
    const t = this.db.tables;
    const id = keyOf(incidentNumber, key);
    if (t.reminders.has(id)) return false;
    checkIncident(t, incidentNumber);
    t.reminders.set(id, { incidentNumber, key, sentAt: at });
    return true;
  }

  release(incidentNumber: number, key: string): void {
    this.db.tables.reminders.delete(keyOf(incidentNumber, key));
  }

  /** The incident's claimed keys, in key order (SQLite reads them from the primary key's index). */
  keys(incidentNumber: number): string[] {
    return [...this.db.tables.reminders.values()]
      .filter((r) => r.incidentNumber === incidentNumber)
      .map((r) => r.key)
      .sort();
  }
}
