/**
 * When customer impact began and when it was detected. Impact, not the declaration, is when an incident starts:
 * people give the two times as they remember them (`15:10`, `2026-11-23 15:10` in the incident's time zone, or
 * `-25m`), and the rules here keep them in order: impact, then detection, then the declaration, then resolution.
 * Pure: the zone's offsets are passed in (`ZoneRules`), the adapter reads them from the time zone database.
 */
import { DomainError } from './errors.js';
import { type Incident, incidentRef } from './incident.js';
import type { Page } from './page.js';
import type { NewEntry } from './timeline.js';

/** A `<when>` as typed, not yet placed on the clock. */
export type WhenSpec =
  | { kind: 'clock'; hour: number; minute: number }
  | { kind: 'date'; year: number; month: number; day: number; hour: number; minute: number }
  | { kind: 'ago'; minutes: number };

/** The forms `<when>` takes, as the help and every error say them. */
export const WHEN_FORMS =
  '`HH:MM` or `YYYY-MM-DD HH:MM` (incident time zone), or `-25m` / `-2h` (that long ago)';

/** A time zone's offsets: the adapter builds it for INCIDENT_TIMEZONE. */
export interface ZoneRules {
  /** the IANA name, e.g. `Europe/Berlin` */
  name: string;
  /** minutes east of UTC in force at `ms` (epoch milliseconds) */
  offsetMinutes(ms: number): number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The longest `-Nh` accepted: a month of hours. An older start is written as a date. */
const MAX_AGO_MINUTES = 31 * 24 * 60;

const invalid = (text: string, why: string): DomainError =>
  new DomainError('impact.invalid_time', `"${text.slice(0, 60)}" ${why} Write ${WHEN_FORMS}.`, {
    text: text.slice(0, 60),
  });

const realDate = (y: number, mo: number, d: number): boolean => {
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
};

/** Reads `HH:MM`, `YYYY-MM-DD HH:MM` or `-25m` / `-2h` / `-1h30m`; anything else is `impact.invalid_time`. */
export function parseWhen(input: string): WhenSpec {
  const text = input.trim();
  if (!text) throw invalid(text, 'is not a time.');
  const ago = /^-\s*(?:(\d{1,4})\s*h)?\s*(?:(\d{1,6})\s*m(?:in)?)?$/i.exec(text);
  if (ago && (ago[1] !== undefined || ago[2] !== undefined)) {
    const minutes = Number(ago[1] ?? 0) * 60 + Number(ago[2] ?? 0);
    if (minutes > MAX_AGO_MINUTES) throw invalid(text, 'is more than 31 days ago: give the date instead.');
    return { kind: 'ago', minutes };
  }
  const clock = /^(\d{1,2}):(\d{2})$/.exec(text);
  const dated = /^(\d{4})-(\d{2})-(\d{2})[ T]+(\d{1,2}):(\d{2})$/.exec(text);
  const [hh, mm] = clock ? [clock[1], clock[2]] : dated ? [dated[4], dated[5]] : [];
  if (hh === undefined || mm === undefined) throw invalid(text, 'is not a time.');
  const hour = Number(hh);
  const minute = Number(mm);
  if (hour > 23 || minute > 59) throw invalid(text, 'is not a time of day (00:00 to 23:59).');
  if (!dated) return { kind: 'clock', hour, minute };
  const [year, month, day] = [Number(dated[1]), Number(dated[2]), Number(dated[3])];
  if (!realDate(year, month, day)) throw invalid(text, 'is not a date on the calendar.');
  return { kind: 'date', year, month, day, hour, minute };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The wall clock in `zone` at `ms`, as `YYYY-MM-DD HH:MM`. */
export function wallTime(ms: number, zone: ZoneRules): string {
  const w = new Date(ms + zone.offsetMinutes(ms) * MINUTE);
  return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}`;
}

/** Every instant at which the wall clock of `zone` reads this date and time: none in a spring gap, two in a fall-back hour. */
function instantsOf(
  zone: ZoneRules,
  w: { year: number; month: number; day: number; hour: number; minute: number },
): number[] {
  const local = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const offsets = new Set([-26, -13, 0, 13, 26].map((h) => zone.offsetMinutes(local + h * HOUR)));
  return [...offsets]
    .map((o) => local - o * MINUTE)
    .filter(
      (t) => wallTime(t, zone) === `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`,
    )
    .sort((a, b) => a - b);
}

/**
 * Places a `<when>` on the clock: `HH:MM` is today in `zone`, a relative time counts back from `now`. A time
 * in the future, or a wall time the zone skips (clocks going forward), is `impact.invalid_time`. In the hour
 * that repeats when clocks go back, the later of the two instants not in the future is taken.
 */
export function resolveWhen(spec: WhenSpec, now: number, zone: ZoneRules): number {
  if (spec.kind === 'ago') return now - spec.minutes * MINUTE;
  const today = wallTime(now, zone);
  const wall =
    spec.kind === 'date'
      ? spec
      : {
          year: Number(today.slice(0, 4)),
          month: Number(today.slice(5, 7)),
          day: Number(today.slice(8, 10)),
          hour: spec.hour,
          minute: spec.minute,
        };
  const shown = `${wall.year}-${pad(wall.month)}-${pad(wall.day)} ${pad(wall.hour)}:${pad(wall.minute)}`;
  const at = instantsOf(zone, wall);
  if (at.length === 0) {
    throw new DomainError(
      'impact.invalid_time',
      `${shown} does not exist in ${zone.name}: the clocks skipped it. Write the time as the clocks showed it.`,
      { time: shown },
    );
  }
  const past = at.filter((t) => t <= now);
  if (past.length === 0) {
    const earlier = spec.kind === 'clock' ? ' For an earlier day, write `YYYY-MM-DD HH:MM`.' : '';
    throw new DomainError(
      'impact.future',
      `${shown} is in the future: it is ${today} in ${zone.name}.${earlier}`,
      { time: shown },
    );
  }
  return past.at(-1)!;
}

/** Where the detection time comes from: set by a person, or the default. */
export type DetectionSource = 'recorded' | 'declared' | 'paged';

/** When the incident was detected: as recorded, else the earlier of the declaration and a page's PagerDuty trigger. */
export function detection(
  incident: Pick<Incident, 'detectedAt' | 'declaredAt'>,
  pages: readonly Pick<Page, 'triggeredAt'>[],
): { at: number; source: DetectionSource } {
  if (incident.detectedAt !== null) return { at: incident.detectedAt, source: 'recorded' };
  let paged: number | null = null;
  for (const p of pages)
    if (p.triggeredAt !== null && (paged === null || p.triggeredAt < paged)) paged = p.triggeredAt;
  return paged !== null && paged < incident.declaredAt
    ? { at: paged, source: 'paged' }
    : { at: incident.declaredAt, source: 'declared' };
}

/** A change of the impact start and/or the detection time; `null` clears one (detection returns to its default). */
export interface ImpactTimesChange {
  impactStartedAt?: number | null;
  detectedAt?: number | null;
}

/** The changed incident and the timeline entries recording each changed time. */
export interface ImpactTimesTransition {
  incident: Incident;
  entries: NewEntry[];
}

const SOURCE_WORDS: Record<DetectionSource, string> = {
  recorded: 'detection',
  declared: 'the declaration',
  paged: "the first page's PagerDuty trigger",
};

/**
 * Applies a change of the impact start and detection time. Pure. Each time must be at or before the
 * resolution; detection at or before the declaration (an incident is known by the time it is declared); impact
 * at or before detection. Fails with `impact.order` (naming the time it collides with) or `incident.unchanged`.
 */
export function setImpactTimes(
  incident: Incident,
  pages: readonly Pick<Page, 'triggeredAt'>[],
  change: ImpactTimesChange,
  by: string,
  now: number,
  zone: ZoneRules,
): ImpactTimesTransition {
  const at = (ms: number): string => `${wallTime(ms, zone)} (${zone.name})`;
  const next: Incident = { ...incident, ...change, updatedAt: now };
  const order = (what: 'Impact start' | 'Detection', ms: number, limit: string, limitMs: number): never => {
    throw new DomainError(
      'impact.order',
      `${what} ${at(ms)} is after ${limit} (${at(limitMs)}). Impact comes first, then detection, then the declaration and the resolution.`,
      { field: what === 'Detection' ? 'detected' : 'impact', at: ms, limit: limitMs },
    );
  };
  const resolved = incident.status === 'resolved' ? incident.resolvedAt : null;
  if (resolved !== null) {
    if (next.impactStartedAt !== null && next.impactStartedAt > resolved)
      order('Impact start', next.impactStartedAt, 'the resolution', resolved);
    if (next.detectedAt !== null && next.detectedAt > resolved)
      order('Detection', next.detectedAt, 'the resolution', resolved);
  }
  if (next.detectedAt !== null && next.detectedAt > incident.declaredAt)
    order('Detection', next.detectedAt, 'the declaration', incident.declaredAt);
  const detected = detection(next, pages);
  if (next.impactStartedAt !== null && next.impactStartedAt > detected.at)
    order('Impact start', next.impactStartedAt, SOURCE_WORDS[detected.source], detected.at);

  const entries: NewEntry[] = [];
  const record = (field: 'impact' | 'detected', before: number | null, after: number | null) => {
    if (before === after) return;
    const what = field === 'impact' ? 'Impact start' : 'Detection';
    const was = before === null ? '' : `, was ${at(before)}`;
    const text =
      after === null
        ? field === 'impact'
          ? `Impact start cleared (was ${at(before!)}): not recorded`
          : `Detection time cleared (was ${at(before!)}): detection is ${SOURCE_WORDS[detected.source]} again`
        : `${what} set to ${at(after)}${was}`;
    entries.push({
      incidentNumber: incident.number,
      kind: 'impact',
      text,
      actor: by,
      occurredAt: now,
      sourceKey: `${field}:${after ?? 'cleared'}:${now}`,
      meta: { field, at: after, previous: before },
    });
  };
  if ('impactStartedAt' in change) record('impact', incident.impactStartedAt, next.impactStartedAt);
  if ('detectedAt' in change) record('detected', incident.detectedAt, next.detectedAt);
  if (entries.length === 0) {
    const shown = (ms: number | null): string => (ms === null ? 'not recorded' : at(ms));
    throw new DomainError(
      'incident.unchanged',
      `${incidentRef(incident.number)} already has impact start ${shown(incident.impactStartedAt)} and detection ${at(detection(incident, pages).at)}.`,
    );
  }
  return { incident: next, entries };
}
