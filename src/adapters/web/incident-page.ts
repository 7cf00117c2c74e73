/**
 * One incident's page: headline, key times, roles, timeline, pages, action items, runbooks and the postmortem
 * as Muster writes it now. It reads the postmortem's view model, so the page and the document agree.
 */
import type { MomentView, PostmortemData } from '../../domain/postmortem-view.js';
import { type Html, html, safeHref } from './html.js';
import { plainTitle, severityBadge, statusBadge } from './incident-list-page.js';
import { postmortemHtml } from './postmortem-html.js';
import { slackToHtml } from './slack-html.js';

/** Past this size the postmortem is shown as its markdown text: HTML for it would hold the event loop too long. */
export const POSTMORTEM_HTML_LIMIT = 256 * 1024;

const moment = (m: MomentView | null, none = '—'): Html =>
  m
    ? html`<time datetime="${new Date(m.ms).toISOString()}">${m.dateTime}</time>`
    : html`<span class="muted">${none}</span>`;

const link = (label: string, url: string): Html => {
  const href = safeHref(url);
  return href ? html`<a href="${href}" rel="noopener noreferrer">${label}</a>` : html`${label}`;
};

function keyTimes(d: PostmortemData): Html {
  const k = d.keyTimes;
  const row = (label: string, value: Html) => html`<dt>${label}</dt><dd>${value}</dd>`;
  const cards = [
    ['Time to acknowledge', k.tta?.text],
    ['Time to mitigate', k.ttm?.text],
    ['Time to resolve', k.ttr?.text],
    [d.draft ? 'Open for' : 'Duration', (k.duration ?? k.elapsed).text],
  ] as const;
  return html`<h2 id="key-times">Key times</h2>
<div class="cards">${cards.map(([label, value]) => html`<div class="card"><div class="value">${value ?? '—'}</div><div class="label">${label}</div></div>`)}</div>
<dl class="facts">
${row('Impact started', moment(k.impactStarted, 'not recorded'))}
${row('Detected', html`${moment(k.detected)} <span class="muted">(${k.detectedFrom})</span>`)}
${row('Declared', moment(k.declared))}
${row('First page', moment(k.firstPage, 'no page'))}
${row('Acknowledged', moment(k.firstAck, 'not acknowledged'))}
${row('Mitigated', moment(k.mitigated, 'not yet'))}
${row('Resolved', moment(k.resolved, 'not yet'))}
</dl>`;
}

function roles(d: PostmortemData): Html {
  const rows = d.summary.roles.map(
    (r) =>
      html`<tr><th scope="row">${r.title}</th><td>${r.holder ? r.holder.name : html`<span class="muted">nobody</span>`}</td><td>${r.holder ? moment(r.holder.from) : ''}</td><td>${r.holders.length > 1 ? r.holders.map((h) => h.name).join(' → ') : html`<span class="muted">—</span>`}</td></tr>`,
  );
  return html`<h2 id="roles">Roles</h2>
<table><thead><tr><th scope="col">Role</th><th scope="col">Held by</th><th scope="col">Since</th><th scope="col">Handovers</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function timeline(d: PostmortemData): Html {
  if (d.days.length === 0)
    return html`<h2 id="timeline">Timeline</h2><p class="empty">Nothing on the timeline yet.</p>`;
  return html`<h2 id="timeline">Timeline</h2>
${d.days.map(
  (day) => html`<h3>${day.date}</h3>
<ol class="timeline">${day.entries.map((e) => {
    const text = e.deleted
      ? html`<span class="muted">(message deleted)</span>`
      : e.redacted
        ? html`<span class="muted">(redacted by ${d.names[e.redacted.by] ?? e.redacted.by})</span>`
        : slackToHtml(e.details, d.names);
    return html`<li><time datetime="${new Date(e.at.ms).toISOString()}">${e.at.time}</time><span>${e.actor}</span><div><span class="what">${e.what}</span>${e.details || e.deleted || e.redacted ? html` <span class="details">${text}</span>` : ''}${e.permalink ? html` ${link('(in Slack)', e.permalink)}` : ''}</div></li>`;
  })}</ol>`,
)}`;
}

function pages(d: PostmortemData): Html {
  if (d.pages.length === 0)
    return html`<h2 id="pages">Pages</h2><p class="empty">Nobody was paged through Muster.</p>`;
  return html`<h2 id="pages">Pages</h2>
<table><thead><tr><th scope="col">Service</th><th scope="col">Status</th><th scope="col">Requested</th><th scope="col">Acknowledged</th><th scope="col" class="num">Time to acknowledge</th></tr></thead>
<tbody>${d.pages.map(
    (p) =>
      html`<tr><td>${p.service}</td><td>${p.statusLabel}</td><td>${moment(p.requestedAt)} by ${p.requestedBy}</td><td>${p.acknowledgedAt ? html`${moment(p.acknowledgedAt)}${p.acknowledgedBy ? ` by ${p.acknowledgedBy}` : ''}` : html`<span class="muted">no</span>`}</td><td class="num">${p.tta?.text ?? '—'}</td></tr>`,
  )}</tbody></table>`;
}

function actions(d: PostmortemData): Html {
  if (d.actions.length === 0)
    return html`<h2 id="actions">Action items</h2><p class="empty">No action item recorded.</p>`;
  return html`<h2 id="actions">Action items</h2>
<table><thead><tr><th scope="col">Priority</th><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">State</th><th scope="col">Issue</th></tr></thead>
<tbody>${d.actions.map(
    (a) =>
      html`<tr><td>${a.priority}</td><td>${slackToHtml(a.text, d.names)}</td><td>${a.owner ?? html`<span class="muted">unassigned</span>`}</td><td>${a.due ?? '—'}</td><td>${a.done ? html`Done${a.doneAt ? html` ${moment(a.doneAt)}` : ''}` : 'Open'}</td><td>${a.issue ? link(a.issue.key, a.issue.url) : '—'}</td></tr>`,
  )}</tbody></table>`;
}

/** The incident page's body (inside the frame). */
export async function incidentBody(
  d: PostmortemData,
  opts: { base: string; postmortem: string; isPrivate: boolean },
): Promise<Html> {
  const s = d.summary;
  const pm =
    opts.postmortem.length > POSTMORTEM_HTML_LIMIT
      ? html`<pre>${opts.postmortem}</pre>`
      : await postmortemHtml(opts.postmortem);
  return html`<p><a href="${opts.base}/incidents">← All incidents</a></p>
<h1>${d.ref}: ${plainTitle(d.title, 500)}</h1>
<p class="lead">${severityBadge(s.severity.level)} ${statusBadge(s.status)}${opts.isPrivate ? html` <span class="badge private">Private</span>` : ''} · declared ${moment(d.keyTimes.declared)} · ${d.draft ? `open for ${s.elapsed.text}` : `lasted ${(s.duration ?? s.elapsed).text}`}${s.channel ? html` · ${link(s.channel.name, s.channel.url)}` : ''}</p>
${s.description ? html`<p>${slackToHtml(s.description, d.names)}</p>` : ''}
${s.resolution ? html`<p><strong>Resolution:</strong> ${slackToHtml(s.resolution, d.names)}</p>` : ''}
<dl class="facts"><dt>Services</dt><dd>${s.services.length ? s.services.join(', ') : html`<span class="muted">none attached</span>`}</dd>
<dt>Runbooks</dt><dd>${s.runbooks.length ? s.runbooks.map((r, i) => html`${i ? ', ' : ''}${link(r.title, r.url)}`) : html`<span class="muted">none linked</span>`}</dd>
<dt>Times in</dt><dd>${d.timeZone}</dd></dl>
${keyTimes(d)}
${roles(d)}
${timeline(d)}
${pages(d)}
${actions(d)}
<h2 id="postmortem">Postmortem${d.draft ? ' (draft)' : ''}</h2>
<p><a href="${opts.base}/incidents/${d.number}/postmortem.md" download="postmortem-${d.ref}.md">Download the markdown</a></p>
<article class="postmortem" aria-labelledby="postmortem">${pm}</article>`;
}
