/**
 * The insights page: how incident response is going, week by week. The median times to acknowledge, mitigate
 * and resolve by severity (the median, so one long incident does not hide the trend), incidents per week by
 * severity, and action items opened and closed; each chart has its numbers in a table beside it. The figures
 * are the report's (`muster report`), over the incidents the viewer may see.
 */
import { SEVERITIES, type Severity, severityLabel, severityName } from '../../domain/incident.js';
import type { IncidentReport, ReportWeek, Stat } from '../../domain/incident-report.js';
import type { TimeFormatters } from '../render/time-format.js';
import { type Html, html } from './html.js';
import { barChart, countScale, durationScale, lineChart, type Series } from './svg-chart.js';

/** The windows the page offers, in days. */
export const INSIGHT_DAYS = [30, 90, 180, 365] as const;

/** Line colours by severity (3:1 or more on white) and dash patterns that tell them apart without colour. */
const SEV_LINE: Record<Severity, { color: string; dash?: string }> = {
  1: { color: '#c62828' },
  2: { color: '#b35c00', dash: '8 4' },
  3: { color: '#7a6500', dash: '3 3' },
  4: { color: '#1f5fbf', dash: '12 4 3 4' },
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A duration as an axis or cell reads it: `45m`, `2.5h`, `3.2d`. */
export function shortDuration(ms: number): string {
  if (ms < HOUR) return `${Math.round(ms / MINUTE)}m`;
  if (ms < 48 * HOUR) return `${Math.round((ms / HOUR) * 10) / 10}h`;
  return `${Math.round((ms / (24 * HOUR)) * 10) / 10}d`;
}

const statText = (s: Stat, which: 'median' | 'p90'): string =>
  s[which] === null ? '—' : shortDuration(s[which]!);

type Measure = 'tta' | 'ttm' | 'ttr';
const MEASURES: { key: Measure; title: string; short: string }[] = [
  { key: 'tta', title: 'Time to acknowledge', short: 'MTTA' },
  { key: 'ttm', title: 'Time to mitigate', short: 'MTTM' },
  { key: 'ttr', title: 'Time to resolve', short: 'MTTR' },
];

/** Why a time chart has nothing to draw. */
const NONE: Record<Measure, string> = {
  tta: 'No page was acknowledged in this window: time to acknowledge runs from the first page to its acknowledgement.',
  ttm: 'No incident of this window reached monitoring (mitigated) yet.',
  ttr: 'No incident of this window is resolved yet.',
};

const weekLabel = (w: ReportWeek, time: TimeFormatters) => time.formatDate(w.start).slice(5);

function dataTable(caption: string, head: string[], rows: (string | number)[][]): Html {
  return html`<details class="data"><summary>${caption}: the numbers</summary><table><thead><tr>${head.map((h, i) => html`<th scope="col"${i ? html` class="num"` : ''}>${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td class="num">${c}</td>`))}</tr>`)}</tbody></table></details>`;
}

function legend(items: { label: string; swatch: string }[]): Html {
  return html`<ul class="legend" aria-hidden="true">${items.map((i) => html`<li><span class="swatch swatch-${i.swatch}"></span>${i.label}</li>`)}</ul>`;
}

const SEV_LEGEND = SEVERITIES.map((s) => ({
  label: `${severityLabel(s)} (${severityName[s]})`,
  swatch: String(s),
}));

function timeChart(r: IncidentReport, m: (typeof MEASURES)[number], time: TimeFormatters): Html {
  const labels = r.weeks.map((w) => weekLabel(w, time));
  const series: Series[] = SEVERITIES.map((s) => ({
    name: severityLabel(s),
    values: r.weeks.map((w) => w.bySeverity.find((b) => b.severity === s)![m.key].median),
    ...SEV_LINE[s],
  }));
  const id = `chart-${m.key}`;
  if (series.every((s) => s.values.every((v) => v === null)))
    return html`<h3>${m.short}: median ${m.title.toLowerCase()} per week</h3><p class="empty">${NONE[m.key]}</p>`;
  return html`<figure class="chart" aria-labelledby="${id}-caption">
<figcaption id="${id}-caption">${m.short}: median ${m.title.toLowerCase()} per week, by severity</figcaption>
${legend(SEV_LEGEND)}
${lineChart({
  id,
  title: `${m.title}, median per week by severity`,
  description: `A line per severity over ${r.weeks.length} weeks; a week without such incidents has no point. The table below holds the same numbers.`,
  xLabels: labels,
  series,
  format: shortDuration,
  scale: durationScale,
})}
${dataTable(
  `${m.short} per week`,
  ['Week of', ...SEVERITIES.map((s) => severityLabel(s))],
  r.weeks.map((w) => [
    weekLabel(w, time),
    ...SEVERITIES.map((s) => statText(w.bySeverity.find((b) => b.severity === s)![m.key], 'median')),
  ]),
)}
</figure>`;
}

function incidentsChart(r: IncidentReport, time: TimeFormatters): Html {
  const labels = r.weeks.map((w) => weekLabel(w, time));
  return html`<figure class="chart" aria-labelledby="chart-count-caption">
<figcaption id="chart-count-caption">Incidents declared per week, by severity</figcaption>
${legend(SEV_LEGEND)}
${barChart({
  id: 'chart-count',
  title: 'Incidents declared per week, by severity',
  description: `Stacked bars over ${r.weeks.length} weeks, one part per severity. The table below holds the same numbers.`,
  xLabels: labels,
  series: SEVERITIES.map((s) => ({
    name: severityLabel(s),
    values: r.weeks.map((w) => w.bySeverity.find((b) => b.severity === s)!.incidents),
    color: SEV_LINE[s].color,
  })),
  format: String,
  scale: countScale,
  stacked: true,
})}
${dataTable(
  'Incidents per week',
  ['Week of', ...SEVERITIES.map((s) => severityLabel(s)), 'All'],
  r.weeks.map((w) => [
    weekLabel(w, time),
    ...SEVERITIES.map((s) => w.bySeverity.find((b) => b.severity === s)!.incidents),
    w.incidents,
  ]),
)}
</figure>`;
}

function actionsChart(r: IncidentReport, time: TimeFormatters): Html {
  const labels = r.weeks.map((w) => weekLabel(w, time));
  return html`<figure class="chart" aria-labelledby="chart-actions-caption">
<figcaption id="chart-actions-caption">Action items opened and closed per week</figcaption>
${legend([
  { label: 'Opened', swatch: 'opened' },
  { label: 'Closed', swatch: 'closed' },
])}
${barChart({
  id: 'chart-actions',
  title: 'Action items opened and closed per week',
  description: `Two bars a week over ${r.weeks.length} weeks: action items recorded, and action items done. The table below holds the same numbers.`,
  xLabels: labels,
  series: [
    { name: 'Opened', values: r.weeks.map((w) => w.actionsOpened), color: '#8c959f' },
    { name: 'Closed', values: r.weeks.map((w) => w.actionsClosed), color: '#1e7a34' },
  ],
  format: String,
  scale: countScale,
  stacked: false,
})}
${dataTable(
  'Action items per week',
  ['Week of', 'Opened', 'Closed'],
  r.weeks.map((w) => [weekLabel(w, time), w.actionsOpened, w.actionsClosed]),
)}
</figure>`;
}

function statsTable(
  caption: string,
  first: string,
  rows: { label: string; incidents: number; s: Record<Measure, Stat> }[],
): Html {
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${first}</th><th scope="col" class="num">Incidents</th>${MEASURES.map((m) => html`<th scope="col" class="num">${m.short} median</th><th scope="col" class="num">${m.short} p90</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr><th scope="row">${row.label}</th><td class="num">${row.incidents}</td>${MEASURES.map((m) => html`<td class="num">${statText(row.s[m.key], 'median')}</td><td class="num">${statText(row.s[m.key], 'p90')}</td>`)}</tr>`)}</tbody></table>`;
}

/** The insights page's body (inside the frame). */
export function insightsBody(opts: {
  report: IncidentReport;
  days: number;
  service: string | null;
  services: string[];
  base: string;
  time: TimeFormatters;
}): Html {
  const { report: r, time } = opts;
  const completion = r.actions.completion === null ? '—' : `${Math.round(r.actions.completion * 100)}%`;
  const cards: [string, string][] = [
    [String(r.overall.incidents), 'Incidents'],
    [statText(r.overall.tta, 'median'), 'Median time to acknowledge'],
    [statText(r.overall.ttm, 'median'), 'Median time to mitigate'],
    [statText(r.overall.ttr, 'median'), 'Median time to resolve'],
    [
      completion,
      `Action items closed (${r.actions.closed} of ${r.actions.opened}; ${r.actions.overdue} overdue)`,
    ],
    [
      String(r.pages.total),
      `Pages (${r.pages.acknowledged} acknowledged, ${r.pages.escalations} escalations)`,
    ],
  ];
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const services = [...new Set([...opts.services, ...(opts.service ? [opts.service] : [])])].sort();
  return html`<h1>Insights</h1>
<p class="lead">From ${time.formatDate(r.window.since)} to ${time.formatDate(r.window.until)} (${r.window.timeZone}), weeks starting on Monday.</p>
<form class="filters" method="get" action="${opts.base}/incidents/insights" aria-label="Choose the window">
<label>Window<select name="days">${INSIGHT_DAYS.map((d) => option(String(d), `Last ${d} days`, opts.days === d))}</select></label>
<label>Service<select name="service">${option('', 'Every service', opts.service === null)}${services.map((s) => option(s, s, opts.service === s))}</select></label>
<button type="submit">Show</button>
</form>
<div class="cards">${cards.map(([value, label]) => html`<div class="card"><div class="value">${value}</div><div class="label">${label}</div></div>`)}</div>
${
  r.overall.incidents === 0
    ? html`<p class="empty">No incident in this window${opts.service ? ' for this service' : ''}.</p>`
    : html`<h2>Times, week by week</h2>
${MEASURES.map((m) => timeChart(r, m, time))}
<h2>Incidents per week</h2>
${incidentsChart(r, time)}
<h2>Action items</h2>
${actionsChart(r, time)}
<h2>By severity and service</h2>
${statsTable(
  'Median and 90th percentile by severity',
  'Severity',
  r.bySeverity.map((s) => ({
    label: `${severityLabel(s.severity)} (${severityName[s.severity]})`,
    incidents: s.incidents,
    s,
  })),
)}
${statsTable(
  'Median and 90th percentile by service',
  'Service',
  r.byService.map((s) => ({ label: s.service ?? 'no service', incidents: s.incidents, s })),
)}`
}`;
}
