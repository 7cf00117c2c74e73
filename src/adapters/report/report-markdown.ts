/**
 * The incident report as markdown (`muster report`, the default format): what was asked, the figures by
 * severity, service and week, action items, pages, then one line per incident. Times are written in the
 * report's time zone, durations as the postmortem writes them (`1 h 05 min`). Titles are Slack text: they are
 * cut to a readable length and escaped for a table cell, so no title can add a column, a link or HTML.
 */
import type {
  IncidentReport,
  ReportIncident,
  SeverityStats,
  Stat,
  TimeStats,
} from '../../domain/incident-report.js';
import { formatDuration } from '../../domain/duration.js';
import { incidentRef, severityLabel, severityName } from '../../domain/incident.js';
import { escapeMarkdown, escapeTableCell, slackToMarkdown } from '../render/markdown-escape.js';
import { makeTimeFormatters } from '../render/time-format.js';
import { fitMrkdwn } from '../slack/text-fit.js';

/** Titles longer than this (UTF-16 units of Slack text) are cut, ending in `…`: the table is for reading. */
export const MARKDOWN_TITLE_MAX = 160;

const NONE = '–';

const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;

const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] => [
  row(head),
  row(head.map(() => '---')),
  ...rows.map(row),
];

const duration = (ms: number | null): string => (ms === null ? NONE : formatDuration(ms));

const statCells = (s: Stat): string[] => [duration(s.median), duration(s.p90), String(s.count)];

const timeCells = (t: TimeStats): string[] => [...statCells(t.tta), ...statCells(t.ttm), ...statCells(t.ttr)];

const TIME_HEAD = [
  'TTA median',
  'TTA p90',
  'TTA n',
  'TTM median',
  'TTM p90',
  'TTM n',
  'TTR median',
  'TTR p90',
  'TTR n',
];

const percent = (part: number | null): string => (part === null ? NONE : `${Math.round(part * 100)}%`);

// A URL typed in the declare form stays bare in the title; GitHub would link it anyway, so it is made the
// link Slack would have made of it (`<https://…>`), which the conversion writes as `[https://…](https://…)`.
const BARE_URL = /(^|[^<|\w])(https?:\/\/[^\s<>"'|]+)/gi;

/** An incident title (Slack text) as one table cell, cut to MARKDOWN_TITLE_MAX. */
export const titleCell = (title: string): string =>
  slackToMarkdown(fitMrkdwn(title, MARKDOWN_TITLE_MAX).replace(BARE_URL, '$1<$2>'), {}, true);

function asked(report: IncidentReport): string {
  const { filters } = report;
  const parts = [
    filters.severities ? `severity ${filters.severities.map((s) => severityLabel(s)).join(', ')}` : null,
    filters.services ? `service ${filters.services.map((s) => `"${escapeMarkdown(s)}"`).join(', ')}` : null,
  ].filter((p): p is string => p !== null);
  const only = parts.length ? ` Only incidents of ${parts.join(' and ')}.` : '';
  return filters.includePrivate
    ? `${only} Private incidents are included: do not share this report outside their channels.`
    : `${only} Private incidents are left out (\`--include-private\` includes them).`;
}

const severityRows = (stats: readonly SeverityStats[]) =>
  stats.map((s) => [
    `${severityLabel(s.severity)} (${severityName[s.severity]})`,
    s.incidents,
    ...timeCells(s),
  ]);

/** The report as markdown that passes markdownlint (line length aside): headings, lists and tables. */
export function reportMarkdown(report: IncidentReport): string {
  const { formatDate, formatTime } = makeTimeFormatters(report.window.timeZone);
  const at = (ms: number | null): string => (ms === null ? NONE : `${formatDate(ms)} ${formatTime(ms)}`);
  const zone = escapeMarkdown(report.window.timeZone);
  const out: string[] = [
    '# Incident report',
    '',
    `Incidents declared from ${at(report.window.since)} to ${at(report.window.until)} (${zone}).${asked(report)}`,
    '',
  ];
  if (report.incidents.length === 0) {
    out.push('No incidents were declared in this window that match the report.', '');
  }
  out.push(
    '## Response times',
    '',
    'Median and 90th percentile (nearest rank) over the incidents that have each time; n is how many have it.',
    'TTA: first page to first acknowledgement. TTM: declared to mitigated. TTR: declared to resolved.',
    '',
    ...table(
      ['Severity', 'Incidents', ...TIME_HEAD],
      [['All', report.overall.incidents, ...timeCells(report.overall)], ...severityRows(report.bySeverity)],
    ),
    '',
  );
  if (report.byService.length) {
    out.push(
      '### By service',
      '',
      ...table(
        ['Service', 'Incidents', ...TIME_HEAD],
        report.byService.map((s) => [
          s.service === null ? '(no service)' : escapeTableCell(s.service),
          s.incidents,
          ...timeCells(s),
        ]),
      ),
      '',
    );
  }
  out.push(
    '## Weeks',
    '',
    ...table(
      ['Week', 'Starts', 'Incidents', 'SEV-1', 'SEV-2', 'SEV-3', 'SEV-4', 'Actions opened', 'Actions closed'],
      report.weeks.map((w) => [
        w.week,
        formatDate(w.start),
        w.incidents,
        ...w.bySeverity.map((s) => s.incidents),
        w.actionsOpened,
        w.actionsClosed,
      ]),
    ),
    '',
    '## Action items',
    '',
    `- Opened: ${report.actions.opened}`,
    `- Closed: ${report.actions.closed} (${percent(report.actions.completion)})`,
    `- Still open: ${report.actions.open}`,
    `- Overdue: ${report.actions.overdue}`,
    '',
    '## Pages',
    '',
    `- Pages sent: ${report.pages.total}`,
    `- Acknowledged: ${report.pages.acknowledged}`,
    `- Escalations: ${report.pages.escalations}`,
    '',
  );
  if (report.incidents.length) {
    out.push('## Incidents', '', ...incidentTable(report.incidents, at), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function incidentTable(incidents: readonly ReportIncident[], at: (ms: number | null) => string): string[] {
  return table(
    [
      'Incident',
      'Title',
      'Severity',
      'Status',
      'Services',
      'Declared',
      'Acknowledged',
      'Mitigated',
      'Resolved',
      'TTA',
      'TTM',
      'TTR',
      'Pages',
      'Escalations',
      'Actions open',
      'Overdue',
    ],
    incidents.map((i) => [
      `${incidentRef(i.number)}${i.private ? ' (private)' : ''}`,
      titleCell(i.title) || NONE,
      severityLabel(i.severity),
      i.reopened ? `${i.status} (reopened ${i.reopened}×)` : i.status,
      i.services.length ? i.services.map(escapeTableCell).join(', ') : NONE,
      at(i.declaredAt),
      at(i.acknowledgedAt),
      at(i.mitigatedAt),
      at(i.resolvedAt),
      duration(i.tta),
      duration(i.ttm),
      duration(i.ttr),
      i.pages,
      i.escalations,
      i.actions.opened - i.actions.closed,
      i.actions.overdue,
    ]),
  );
}
