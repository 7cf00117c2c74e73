/** The incidents list: filters (status, severity, service, time) and a table of what matched. */
import { severityLabel, severityName, STATUSES } from '../../domain/incident.js';
import { formatDuration } from '../../domain/duration.js';
import { type IncidentFilter, type IncidentList, LIST_PAGE_SIZE } from '../../app/web/incident-list.js';
import { slackToPlain } from '../render/slack-text.js';
import { fitPlain } from '../slack/text-fit.js';
import type { TimeFormatters } from '../render/time-format.js';
import { type Html, html } from './html.js';

/** The "declared within" choices of the filter, in days. */
export const DAY_CHOICES = [7, 30, 90, 365] as const;

const statusWord = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The badge of a severity: `SEV-1 critical`. */
export const severityBadge = (s: 1 | 2 | 3 | 4): Html =>
  html`<span class="badge sev-${s}">${severityLabel(s)}<span class="visually-hidden"> (${severityName[s]})</span></span>`;

/** The badge of a status. */
export const statusBadge = (s: string): Html =>
  html`<span class="badge ${s === 'resolved' ? 'status-resolved' : 'status-open'}">${statusWord(s)}</span>`;

/** A title as plain text for a cell (Slack markup read), cut to `max` characters without splitting a grapheme. */
export const plainTitle = (title: string, max = 300): string =>
  fitPlain(slackToPlain(title, {}).replace(/\s+/g, ' ').trim(), max);

function option(value: string, label: string, selected: boolean): Html {
  return html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
}

/** The list's body (inside the frame). */
export function incidentListBody(opts: {
  list: IncidentList;
  filter: IncidentFilter;
  base: string;
  now: number;
  time: TimeFormatters;
}): Html {
  const { list, filter, base, time } = opts;
  const filters = html`<form class="filters" method="get" action="${base}/incidents" role="search" aria-label="Filter incidents">
<label>Status<select name="status">${option('', 'Any', filter.status === undefined)}${option('open', 'Open', filter.status === 'open')}${STATUSES.map((s) => option(s, statusWord(s), filter.status === s))}</select></label>
<label>Severity<select name="severity">${option('', 'Any', filter.severity === undefined)}${([1, 2, 3, 4] as const).map((s) => option(String(s), `${severityLabel(s)} (${severityName[s]})`, filter.severity === s))}</select></label>
<label>Service<select name="service">${option('', 'Any', filter.service === undefined)}${[...new Set([...list.services, ...(filter.service ? [filter.service] : [])])].map((s) => option(s, s, filter.service === s))}</select></label>
<label>Declared<select name="days">${option('', 'Any time', filter.days === undefined)}${[...new Set([...DAY_CHOICES, ...(filter.days ? [filter.days] : [])])].sort((a, b) => a - b).map((d) => option(String(d), `Last ${d} ${d === 1 ? 'day' : 'days'}`, filter.days === d))}</select></label>
<button type="submit">Show</button>
</form>`;
  const first = (list.page - 1) * LIST_PAGE_SIZE + 1;
  const shown =
    list.total === 0
      ? 'No incident matches these filters.'
      : list.pages > 1
        ? `Incidents ${first} to ${first + list.rows.length - 1} of ${list.total}, newest first.`
        : `${list.total} ${list.total === 1 ? 'incident' : 'incidents'}.`;
  const pageLink = (page: number) => {
    const q = new URLSearchParams();
    if (filter.status) q.set('status', filter.status);
    if (filter.severity) q.set('severity', String(filter.severity));
    if (filter.service) q.set('service', filter.service);
    if (filter.days) q.set('days', String(filter.days));
    if (page > 1) q.set('page', String(page));
    const query = q.toString();
    return `${base}/incidents${query ? `?${query}` : ''}`;
  };
  const pager =
    list.pages > 1
      ? html`<nav aria-label="Pages of incidents"><ul class="legend">${list.page > 1 ? html`<li><a href="${pageLink(list.page - 1)}" rel="prev">Newer incidents</a></li>` : ''}<li>Page ${list.page} of ${list.pages}</li>${list.page < list.pages ? html`<li><a href="${pageLink(list.page + 1)}" rel="next">Older incidents</a></li>` : ''}</ul></nav>`
      : '';
  const rows = list.rows.map(({ incident: i, services, commander }) => {
    const end = i.resolvedAt ?? opts.now;
    return html`<tr>
<td><a href="${base}/incidents/${i.number}">INC-${i.number}</a></td>
<td class="title-cell">${plainTitle(i.title)}${i.private ? html` <span class="badge private">Private</span>` : ''}</td>
<td>${severityBadge(i.severity)}</td>
<td>${statusBadge(i.status)}</td>
<td><time datetime="${new Date(i.declaredAt).toISOString()}">${time.formatDate(i.declaredAt)} ${time.formatTime(i.declaredAt)}</time></td>
<td class="num">${formatDuration(Math.max(0, end - i.declaredAt))}${i.resolvedAt === null ? html`<span class="visually-hidden"> so far</span>` : ''}</td>
<td>${services.length ? services.join(', ') : html`<span class="muted">none</span>`}</td>
<td>${commander ?? html`<span class="muted">nobody</span>`}</td>
</tr>`;
  });
  const table = list.rows.length
    ? html`<table>
<caption class="visually-hidden">Incidents, newest first</caption>
<thead><tr><th scope="col">Incident</th><th scope="col">Title</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Declared (${time.timeZone})</th><th scope="col" class="num">Duration</th><th scope="col">Services</th><th scope="col">Commander</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
    : html`<p class="empty">${list.total === 0 && Object.keys(filter).length === 0 ? 'No incident has been declared yet. Declare one in Slack with /incident declare.' : 'Nothing to show: widen the filters.'}</p>`;
  return html`<h1>Incidents</h1>
${filters}
<p role="status">${shown}</p>
${table}
${pager}`;
}
