/**
 * The workspace's calendar (INCIDENT_TIMEZONE): which day it is, which ISO week, and whether the weekly
 * reminder's hour has come. Action items are due on a date, not at an instant, so "past due" is read in the
 * zone people plan in; a server in UTC would otherwise call Monday's items overdue on Sunday evening in
 * San Francisco.
 */
import { DateTime } from 'luxon';

/** The weekly reminder goes out on the first run at or after this hour of Monday, in the workspace's zone. */
export const WEEKLY_REMINDER_HOUR = 9;

/** One instant as the workspace reads it. */
export interface WorkspaceDay {
  /** `2026-12-07` */
  today: string;
  /** the ISO week, `2026-W50` (the ISO week-numbering year: 2027-01-01 is in `2026-W53`) */
  week: string;
  /** whether Monday's reminder hour of `week` has come */
  weeklyReminderDue: boolean;
}

/** Reads `now` (epoch ms) in `zone`, an IANA zone the config checked already; throws on an unknown zone. */
export function workspaceDay(now: number, zone: string): WorkspaceDay {
  const local = DateTime.fromMillis(now, { zone });
  if (!local.isValid) throw new Error(`Unknown time zone "${zone}": use an IANA name such as Europe/Berlin.`);
  return {
    today: local.toISODate(),
    week: `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`,
    weeklyReminderDue: local.weekday > 1 || local.hour >= WEEKLY_REMINDER_HOUR,
  };
}
