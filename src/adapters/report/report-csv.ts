/**
 * The incident report as CSV: one row per incident, for a spreadsheet. RFC 4180: CRLF line ends, a field
 * holding a comma, a quote or a line break is quoted with its quotes doubled. A cell that a spreadsheet would
 * run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so a
 * title such as `=HYPERLINK(...)` stays text. Titles are plain text (Slack markup read: `<@U1>` is `@U1`).
 */
import type { IncidentReport, ReportIncident } from '../../domain/incident-report.js';
import { incidentRef } from '../../domain/incident.js';
import { slackToPlain } from '../render/slack-text.js';

/** The header row, in column order; durations are whole milliseconds, times ISO 8601 in UTC. */
export const CSV_COLUMNS = [
  'number',
  'ref',
  'title',
  'severity',
  'status',
  'private',
  'services',
  'channel',
  'declared_at',
  'acknowledged_at',
  'mitigated_at',
  'resolved_at',
  'tta_ms',
  'ttm_ms',
  'ttr_ms',
  'reopened',
  'pages',
  'pages_acknowledged',
  'escalations',
  'actions_opened',
  'actions_closed',
  'actions_overdue',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formulas defused, then quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const cells = (i: ReportIncident): (string | number | boolean | null)[] => [
  i.number,
  incidentRef(i.number),
  slackToPlain(i.title, {}),
  i.severity,
  i.status,
  i.private,
  i.services.join('; '),
  i.channelName,
  iso(i.declaredAt),
  iso(i.acknowledgedAt),
  iso(i.mitigatedAt),
  iso(i.resolvedAt),
  i.tta,
  i.ttm,
  i.ttr,
  i.reopened,
  i.pages,
  i.pagesAcknowledged,
  i.escalations,
  i.actions.opened,
  i.actions.closed,
  i.actions.overdue,
];

/** The report's incidents as CSV, a header row first; every line ends in CRLF. */
export function reportCsv(report: IncidentReport): string {
  const lines = [CSV_COLUMNS.join(','), ...report.incidents.map((i) => cells(i).map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
