/**
 * Reminders already sent, keyed by incident and a key derived from stored times (see app/incident/reminders.ts),
 * on PostgreSQL. A claim is an insert that a repeat turns into nothing (`on conflict do nothing`), so a second
 * process claiming the same reminder learns it lost without aborting the transaction it runs in.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { ReminderRepo } from '../../../domain/ports/store.js';
import { remindersSent } from './schema.js';
import type { PgSession } from './session.js';

export class PgReminderRepository implements ReminderRepo {
  constructor(private readonly session: PgSession) {}

  /** Claims a reminder; false when it was already claimed (sent, or being sent). */
  async claim(incidentNumber: number, key: string, at: number): Promise<boolean> {
    const claimed = await this.session
      .db()
      .insert(remindersSent)
      .values({ incidentNumber, key, sentAt: at })
      .onConflictDoNothing()
      .returning({ key: remindersSent.key });
    return claimed.length > 0;
  }

  /** Gives a claim back after the reminder could not be delivered, so the next run tries again. */
  async release(incidentNumber: number, key: string): Promise<void> {
    await this.session
      .db()
      .delete(remindersSent)
      .where(and(eq(remindersSent.incidentNumber, incidentNumber), eq(remindersSent.key, key)));
  }

  /** The keys claimed for an incident, in byte order (SQLite reads them along its primary key). */
  async keys(incidentNumber: number): Promise<string[]> {
    const rows = await this.session
      .db()
      .select({ key: remindersSent.key })
      .from(remindersSent)
      .where(eq(remindersSent.incidentNumber, incidentNumber))
      .orderBy(asc(sql`${remindersSent.key} collate "C"`));
    return rows.map((r) => r.key);
  }
}
