/** Reminders already sent, keyed by incident and a key derived from stored times (see app/incident/reminders.ts). */
import type { ReminderRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { remindersSent } from './schema.js';

export class ReminderRepository implements Synchronous<ReminderRepo> {
  constructor(private readonly db: Db) {}

  /** Claims a reminder; false when it was already claimed (sent, or being sent). */
  claim(incidentNumber: number, key: string, at: number): boolean {
    const r = this.db
      .insert(remindersSent)
      .values({ incidentNumber, key, sentAt: at })
      .onConflictDoNothing()
      .run();
    return r.changes > 0;
  }

  /** Gives a claim back after the reminder could not be delivered, so the next run tries again. */
  release(incidentNumber: number, key: string): void {
    this.db
      .delete(remindersSent)
      .where(and(eq(remindersSent.incidentNumber, incidentNumber), eq(remindersSent.key, key)))
      .run();
  }

  keys(incidentNumber: number): string[] {
    return this.db
      .select({ key: remindersSent.key })
      .from(remindersSent)
      .where(eq(remindersSent.incidentNumber, incidentNumber))
      .all()
      .map((r) => r.key);
  }
}
