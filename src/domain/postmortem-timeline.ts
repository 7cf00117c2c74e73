/**
 * How the postmortem's timeline reads: what happened (declared, messages, notes, updates, status and severity
 * changes, pages and acknowledgements, resolution), with each row's label saying what it was and its
 * details not repeating the label; and the bookkeeping (roles, services attached, runbooks linked, action
 * items, pages resolved) grouped apart, since the Responders, Summary, Action items and Pages sections show it.
 */
import { severityLabel, type Severity } from './incident.js';
import type { TimelineEntry } from './timeline.js';

/** The groups bookkeeping rows fold into, in the order the document lists them. */
export const BOOKKEEPING_GROUPS = ['roles', 'services', 'runbooks', 'actions', 'pages_resolved'] as const;
export type BookkeepingGroup = (typeof BOOKKEEPING_GROUPS)[number];

export const BOOKKEEPING_TITLES: Record<BookkeepingGroup, string> = {
  roles: 'Roles',
  services: 'Services attached',
  runbooks: 'Runbooks linked',
  actions: 'Action items',
  pages_resolved: 'Pages resolved',
};

/** The bookkeeping group of an entry, or null when it is something that happened. */
export function bookkeepingGroup(e: Pick<TimelineEntry, 'kind' | 'meta'>): BookkeepingGroup | null {
  switch (e.kind) {
    case 'role':
      return 'roles';
    case 'service':
      return 'services';
    case 'runbook':
      return 'runbooks';
    case 'action':
      return 'actions';
    case 'page_event':
      // Muster's own resolve after the incident's, and PagerDuty's word that the page is resolved
      return e.meta.event === 'resolved' || e.meta.event === 'incident.resolved' ? 'pages_resolved' : null;
    default:
      return null;
  }
}

const PAGE_EVENT_LABELS: Record<string, string> = {
  'incident.triggered': 'Page opened',
  'incident.escalated': 'Page escalated',
  'incident.reassigned': 'Page reassigned',
  'incident.annotated': 'Page note',
  escalate: 'Page escalated',
  failed: 'Page failed',
};

const isSeverity = (v: unknown): v is Severity => v === 1 || v === 2 || v === 3 || v === 4;
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The text with `prefix` taken off, and the `: ` that follows it; the whole text when it does not start so. */
function after(text: string, prefix: string): string {
  if (!text.startsWith(prefix)) return text;
  return text.slice(prefix.length).replace(/^:\s*/, '');
}

/**
 * A row's label and its details (Slack text): "Declared SEV-2" and the title, "Investigating → identified"
 * and nothing more, "Page acknowledged" and "checkout, by Jane Doe after 4 min". Texts Muster did not write
 * in its usual words are kept whole.
 */
export function describeEntry(
  e: Pick<TimelineEntry, 'kind' | 'meta' | 'text'>,
  kindLabel: string,
): {
  what: string;
  details: string;
} {
  const { meta, text } = e;
  switch (e.kind) {
    case 'declared': {
      const m = /^Declared (SEV-\d)(?::\s*|$)/.exec(text);
      const sev = isSeverity(meta.severity) ? severityLabel(meta.severity) : (m?.[1] ?? null);
      return { what: sev ? `Declared ${sev}` : kindLabel, details: m ? text.slice(m[0].length) : text };
    }
    case 'severity': {
      if (!isSeverity(meta.from) || !isSeverity(meta.to)) return { what: kindLabel, details: text };
      const from = severityLabel(meta.from);
      const to = severityLabel(meta.to);
      return { what: `${from} → ${to}`, details: after(text, `Severity changed from ${from} to ${to}`) };
    }
    case 'status': {
      if (!isText(meta.from) || !isText(meta.to)) return { what: kindLabel, details: text };
      const what = `${meta.from.charAt(0).toUpperCase()}${meta.from.slice(1)} → ${meta.to}`;
      return { what, details: after(text, `Status changed from ${meta.from} to ${meta.to}`) };
    }
    case 'resolved':
    case 'reopened':
      return { what: kindLabel, details: after(text, kindLabel) };
    case 'page': {
      // `Paged checkout: <message>`, `Paged checkout automatically (SEV-1 policy)`, `Escalated checkout with …`
      const cut = text.indexOf(': ');
      return cut < 0
        ? { what: text, details: '' }
        : { what: text.slice(0, cut), details: text.slice(cut + 2) };
    }
    case 'page_ack': {
      const m = /^(.+) page acknowledged (by .+)$/s.exec(text);
      return { what: kindLabel, details: m ? `${m[1]}, ${m[2]}` : text };
    }
    case 'page_event': {
      const label = isText(meta.event) ? PAGE_EVENT_LABELS[meta.event] : undefined;
      return { what: label ?? kindLabel, details: text };
    }
    default:
      return { what: kindLabel, details: text };
  }
}

/** A bookkeeping row's details without the words its group's title already says. */
export function bookkeepingDetails(
  e: Pick<TimelineEntry, 'kind' | 'meta' | 'text'>,
  group: BookkeepingGroup,
): string {
  const { text, meta } = e;
  switch (group) {
    case 'services': {
      const m = /^Service (.+?) attached(.*)$/s.exec(text);
      return m ? `${m[1]}${m[2]}` : text;
    }
    case 'runbooks':
      return after(text, 'Runbook linked');
    case 'actions': {
      const m = /^Action item \((P\d)\):\s*/.exec(text);
      if (m) return `${m[1]}: ${text.slice(m[0].length)}`;
      return text.startsWith('Action item done') ? `done: ${after(text, 'Action item done')}` : text;
    }
    case 'pages_resolved': {
      if (meta.event === 'resolved' && isText(meta.service)) return meta.service;
      const m = /^(.+) page resolved in PagerDuty(.*)$/s.exec(text);
      return m ? `${m[1]} (in PagerDuty${m[2]})` : text;
    }
    default:
      return text;
  }
}
