/**
 * The calendar of a report in INCIDENT_TIMEZONE: the ISO weeks of its window (Monday 00:00 local to Monday
 * 00:00 local) and which week an instant falls in. Computed here with luxon, so the domain's summary stays pure.
 */
import { DateTime } from 'luxon';
import type { ReportCalendar, ReportFilters } from '../../domain/incident-report.js';

const local = (ms: number, zone: string): DateTime => {
  const d = DateTime.fromMillis(ms, { zone });
  if (!d.isValid) throw new Error(`Unknown time zone "${zone}": use an IANA name such as Europe/Berlin.`);
  return d;
};

const weekName = (d: DateTime): string => `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;

/** The ISO week (`2026-W48`) of `ms` in `zone`; 2027-01-01 is in `2026-W53`. Throws on an unknown zone. */
export const isoWeekOf = (ms: number, zone: string): string => weekName(local(ms, zone));

/** Every ISO week from the one holding `since` to the one holding `until`, with its Monday 00:00 in `zone`. */
export function weeksBetween(since: number, until: number, zone: string): { week: string; start: number }[] {
  const out: { week: string; start: number }[] = [];
  const last = local(until, zone).startOf('week').toMillis();
  // startOf('week') is Monday 00:00 (ISO weeks); adding a week in the zone keeps 00:00 across DST changes
  for (let d = local(since, zone).startOf('week'); d.toMillis() <= last; d = d.plus({ weeks: 1 })) {
    out.push({ week: weekName(d), start: d.toMillis() });
  }
  return out;
}

/** The calendar `summarizeReport` takes, for the window [since, until] in `timeZone`. */
export function reportCalendar(
  window: { since: number; until: number; timeZone: string },
  filters: ReportFilters,
): ReportCalendar {
  const { since, until, timeZone } = window;
  return {
    since,
    until,
    timeZone,
    weeks: weeksBetween(since, until, timeZone),
    weekOf: (ms) => isoWeekOf(ms, timeZone),
    filters,
  };
}
