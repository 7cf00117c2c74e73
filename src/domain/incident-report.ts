/**
 * How incident response is going, over a window of time: per incident its key times (the postmortem's
 * `computeKeyTimes`, so both agree), and across incidents the median and 90th percentile of time to
 * acknowledge, mitigate and resolve, counts by week, action items and pages. Pure: the calendar (which ISO
 * week an instant falls in, in INCIDENT_TIMEZONE) is passed in by the caller.
 */
import type { ActionItem } from './action-item.js';
import { type Incident, SEVERITIES, type Severity, type Status } from './incident.js';
import { computeKeyTimes } from './key-times.js';
import type { Page } from './page.js';
import type { TimelineEntry } from './timeline.js';

/** One action item as the report counts it. */
export interface ReportActionItem {
  id: number;
  createdAt: number;
  doneAt: number | null;
  /** YYYY-MM-DD */
  due: string | null;
}

/** One incident in the report. Times are epoch ms; durations are ms. */
export interface ReportIncident {
  number: number;
  /** as stored: Slack text (`&amp;`, `<@U1>`); each renderer turns it into what its format needs */
  title: string;
  severity: Severity;
  status: Status;
  private: boolean;
  channelId: string | null;
  channelName: string | null;
  /** catalog services attached, in the order they were attached */
  services: string[];
  declaredAt: number;
  /** the first acknowledgement of a page */
  acknowledgedAt: number | null;
  mitigatedAt: number | null;
  /** null unless the incident is resolved now (a reopened incident that is open again has none) */
  resolvedAt: number | null;
  /** first page -> first acknowledgement */
  tta: number | null;
  /** declared -> mitigated */
  ttm: number | null;
  /** declared -> resolved */
  ttr: number | null;
  /** how many times it was reopened */
  reopened: number;
  /** pages requested, failed ones included */
  pages: number;
  /** pages someone acknowledged */
  pagesAcknowledged: number;
  /** escalations asked through Muster (see `pageEscalations`) */
  escalations: number;
  actions: { opened: number; closed: number; overdue: number };
  /** the action items themselves, for the counts by week */
  actionItems: ReportActionItem[];
}

/** Median and 90th percentile of one duration, in ms; `count` is how many incidents have that duration. */
export interface Stat {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface TimeStats {
  tta: Stat;
  ttm: Stat;
  ttr: Stat;
}

export interface SeverityStats extends TimeStats {
  severity: Severity;
  incidents: number;
}

export interface ServiceStats extends TimeStats {
  /** null: incidents with no service attached */
  service: string | null;
  incidents: number;
}

export interface ReportWeek {
  /** ISO week, `2026-W48` */
  week: string;
  /** Monday 00:00 of the week in the report's time zone, epoch ms */
  start: number;
  /** incidents declared in the week */
  incidents: number;
  bySeverity: SeverityStats[];
  /** action items of the report's incidents recorded in the week */
  actionsOpened: number;
  /** action items of the report's incidents done in the week */
  actionsClosed: number;
}

export interface ReportFilters {
  /** only incidents with one of these services attached (lower case); null: every incident */
  services: string[] | null;
  /** only incidents of these (current) severities; null: every severity */
  severities: Severity[] | null;
  includePrivate: boolean;
}

export interface IncidentReport {
  window: { since: number; until: number; timeZone: string };
  filters: ReportFilters;
  /** oldest declared first */
  incidents: ReportIncident[];
  overall: TimeStats & { incidents: number };
  /** SEV-1 to SEV-4, each listed even without incidents */
  bySeverity: SeverityStats[];
  /** most incidents first, then by name; incidents without a service last */
  byService: ServiceStats[];
  /** every week of the window, oldest first, weeks without incidents included */
  weeks: ReportWeek[];
  actions: { opened: number; closed: number; overdue: number; open: number; completion: number | null };
  pages: { total: number; acknowledged: number; escalations: number };
}

/**
 * The escalations asked through Muster (the Escalate button) that a page records. A REST page is moved up its
 * escalation policy in place: each step raises its level by one from 1, so it counts `escalationLevel - 1`.
 * An Events v2 page cannot be moved up: it gets `escalatedAt` and a new trigger calls again, so it counts once
 * and the new trigger is a page of its own (with a raised level, but no `escalatedAt` of its own until it is
 * escalated in turn). Escalations PagerDuty makes by itself reach Muster only as timeline notes: not counted.
 */
export function pageEscalations(page: Pick<Page, 'via' | 'escalationLevel' | 'escalatedAt'>): number {
  if (page.via === 'rest') return Math.max(0, page.escalationLevel - 1);
  return page.escalatedAt != null ? 1 : 0;
}

/** What the store holds about one incident, as `reportIncident` reads it. */
export interface ReportFacts {
  incident: Incident;
  /** the timeline without removed entries */
  timeline: readonly TimelineEntry[];
  pages: readonly Page[];
  actions: readonly ActionItem[];
  services: readonly string[];
}

/** One incident's line of the report; `today` (YYYY-MM-DD in INCIDENT_TIMEZONE) decides what is overdue. */
export function reportIncident(facts: ReportFacts, now: number, today: string): ReportIncident {
  const { incident, pages, actions } = facts;
  const k = computeKeyTimes(incident, facts.timeline, pages, now);
  const open = actions.filter((a) => a.doneAt === null);
  return {
    number: incident.number,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    private: incident.private,
    channelId: incident.channelId,
    channelName: incident.channelName,
    services: [...facts.services],
    declaredAt: incident.declaredAt,
    acknowledgedAt: k.firstAck,
    mitigatedAt: k.mitigated,
    resolvedAt: k.resolved,
    tta: k.tta,
    ttm: k.ttm,
    ttr: k.ttr,
    reopened: k.reopened,
    pages: pages.length,
    pagesAcknowledged: pages.filter((p) => p.acknowledgedAt !== null).length,
    escalations: pages.reduce((n, p) => n + pageEscalations(p), 0),
    actions: {
      opened: actions.length,
      closed: actions.length - open.length,
      overdue: open.filter((a) => a.due !== null && a.due < today).length,
    },
    actionItems: actions.map((a) => ({ id: a.id, createdAt: a.createdAt, doneAt: a.doneAt, due: a.due })),
  };
}

/**
 * The median of `values`: the middle value of the sorted list, or for an even count the mean of the two middle
 * values rounded to the nearest ms; null for no values.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

/**
 * The 90th percentile by the nearest-rank method: the value at rank ceil(0.9 × n) of the sorted list (1-based),
 * always one of the values; null for no values. With fewer than ten values it is the largest.
 */
export function p90(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.ceil(0.9 * s.length) - 1]!;
}

/** Count, median and p90 of the durations that are there (null ones are left out). */
export function stat(values: readonly (number | null)[]): Stat {
  const there = values.filter((v): v is number => v !== null);
  return { count: there.length, median: median(there), p90: p90(there) };
}

/** TTA, TTM and TTR statistics of some incidents. */
export function timeStats(incidents: readonly ReportIncident[]): TimeStats {
  return {
    tta: stat(incidents.map((i) => i.tta)),
    ttm: stat(incidents.map((i) => i.ttm)),
    ttr: stat(incidents.map((i) => i.ttr)),
  };
}

const bySeverity = (incidents: readonly ReportIncident[]): SeverityStats[] =>
  SEVERITIES.map((severity) => {
    const of = incidents.filter((i) => i.severity === severity);
    return { severity, incidents: of.length, ...timeStats(of) };
  });

function byService(incidents: readonly ReportIncident[]): ServiceStats[] {
  const groups = new Map<string | null, ReportIncident[]>();
  for (const i of incidents) {
    for (const s of i.services.length ? new Set(i.services) : [null]) {
      const list = groups.get(s) ?? [];
      list.push(i);
      groups.set(s, list);
    }
  }
  return [...groups]
    .map(([service, of]) => ({ service, incidents: of.length, ...timeStats(of) }))
    .sort((a, b) =>
      a.service === null || b.service === null
        ? (a.service === null ? 1 : 0) - (b.service === null ? 1 : 0)
        : b.incidents - a.incidents || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0),
    );
}

/** The calendar of a report, worked out by the caller in the report's time zone. */
export interface ReportCalendar {
  since: number;
  until: number;
  timeZone: string;
  /** every ISO week from the one holding `since` to the one holding `until`, oldest first */
  weeks: readonly { week: string; start: number }[];
  /** the ISO week (`2026-W48`) an instant falls in, in `timeZone` */
  weekOf: (ms: number) => string;
  filters: ReportFilters;
}

/**
 * The report of `incidents`: those declared from `since` to `until` (both included) are kept, oldest first, and
 * summarised; the others are left out. The caller chooses the incidents (filters, who may see them), so
 * `filters` is only what the report says was asked.
 */
export function summarizeReport(
  incidents: readonly ReportIncident[],
  calendar: ReportCalendar,
): IncidentReport {
  const kept = incidents
    .filter((i) => i.declaredAt >= calendar.since && i.declaredAt <= calendar.until)
    .sort((a, b) => a.declaredAt - b.declaredAt || a.number - b.number);
  const weeks = calendar.weeks.map((w) => ({ ...w, of: [] as ReportIncident[], opened: 0, closed: 0 }));
  const weekIndex = new Map(weeks.map((w, i) => [w.week, i]));
  const add = (ms: number, what: 'opened' | 'closed' | ReportIncident) => {
    const i = weekIndex.get(calendar.weekOf(ms));
    if (i === undefined) return;
    if (what === 'opened' || what === 'closed') weeks[i]![what] += 1;
    else weeks[i]!.of.push(what);
  };
  for (const incident of kept) {
    add(incident.declaredAt, incident);
    for (const a of incident.actionItems) {
      add(a.createdAt, 'opened');
      if (a.doneAt !== null) add(a.doneAt, 'closed');
    }
  }
  const sum = (f: (i: ReportIncident) => number): number => kept.reduce((n, i) => n + f(i), 0);
  const opened = sum((i) => i.actions.opened);
  const closed = sum((i) => i.actions.closed);
  return {
    window: { since: calendar.since, until: calendar.until, timeZone: calendar.timeZone },
    filters: calendar.filters,
    incidents: kept,
    overall: { incidents: kept.length, ...timeStats(kept) },
    bySeverity: bySeverity(kept),
    byService: byService(kept),
    weeks: weeks.map((w) => ({
      week: w.week,
      start: w.start,
      incidents: w.of.length,
      bySeverity: bySeverity(w.of),
      actionsOpened: w.opened,
      actionsClosed: w.closed,
    })),
    actions: {
      opened,
      closed,
      overdue: sum((i) => i.actions.overdue),
      open: opened - closed,
      completion: opened === 0 ? null : closed / opened,
    },
    pages: {
      total: sum((i) => i.pages),
      acknowledged: sum((i) => i.pagesAcknowledged),
      escalations: sum((i) => i.escalations),
    },
  };
}
