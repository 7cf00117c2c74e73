/**
 * The incident report as JSON, version 1, documented field by field in docs/report.md. Stable: fields are only
 * ever added; a change of meaning would be a new `version`. Times are ISO 8601 strings in UTC; durations are
 * whole milliseconds (`…Ms`); titles are plain text (Slack markup read: `<@U1>` is `@U1`).
 */
import type {
  IncidentReport,
  ReportIncident,
  SeverityStats,
  Stat,
  TimeStats,
} from '../../domain/incident-report.js';
import { incidentRef, severityLabel } from '../../domain/incident.js';
import { slackToPlain } from '../render/slack-text.js';

/** The version of the JSON shape. */
export const REPORT_JSON_VERSION = 1;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const stat = (s: Stat) => ({ count: s.count, medianMs: s.median, p90Ms: s.p90 });

const times = (t: TimeStats) => ({ tta: stat(t.tta), ttm: stat(t.ttm), ttr: stat(t.ttr) });

const severity = (s: SeverityStats) => ({
  severity: s.severity,
  label: severityLabel(s.severity),
  incidents: s.incidents,
  ...times(s),
});

const incident = (i: ReportIncident) => ({
  number: i.number,
  ref: incidentRef(i.number),
  title: slackToPlain(i.title, {}),
  severity: i.severity,
  status: i.status,
  private: i.private,
  channelName: i.channelName,
  services: i.services,
  declaredAt: iso(i.declaredAt),
  acknowledgedAt: iso(i.acknowledgedAt),
  mitigatedAt: iso(i.mitigatedAt),
  resolvedAt: iso(i.resolvedAt),
  ttaMs: i.tta,
  ttmMs: i.ttm,
  ttrMs: i.ttr,
  reopened: i.reopened,
  pages: i.pages,
  pagesAcknowledged: i.pagesAcknowledged,
  escalations: i.escalations,
  actions: i.actions,
});

/** The report as the documented JSON object (before serialising). */
export function reportJsonObject(report: IncidentReport) {
  return {
    report: 'muster.incident-report',
    version: REPORT_JSON_VERSION,
    window: {
      since: iso(report.window.since),
      until: iso(report.window.until),
      timeZone: report.window.timeZone,
    },
    filters: report.filters,
    overall: { incidents: report.overall.incidents, ...times(report.overall) },
    bySeverity: report.bySeverity.map(severity),
    byService: report.byService.map((s) => ({ service: s.service, incidents: s.incidents, ...times(s) })),
    weeks: report.weeks.map((w) => ({
      week: w.week,
      start: iso(w.start),
      incidents: w.incidents,
      bySeverity: w.bySeverity.map(severity),
      actionsOpened: w.actionsOpened,
      actionsClosed: w.actionsClosed,
    })),
    actions: report.actions,
    pages: report.pages,
    incidents: report.incidents.map(incident),
  };
}

/** The report as JSON text, indented by two spaces, ending in a line break. */
export const reportJson = (report: IncidentReport): string =>
  `${JSON.stringify(reportJsonObject(report), null, 2)}\n`;
