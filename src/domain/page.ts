/**
 * A PagerDuty page and its status machine: a table of what each event does to each status, and a pure
 * `pageTransition()` that returns the changed page and the timeline entries recording the change.
 */
import { DomainError } from './errors.js';
import type { Severity } from './incident.js';
import { formatDuration } from './key-times.js';
import type { NewEntry } from './timeline.js';

export const PAGE_STATUSES = ['pending', 'triggered', 'acknowledged', 'resolved', 'failed'] as const;
export type PageStatus = (typeof PAGE_STATUSES)[number];

/** How a page reaches PagerDuty: Events API v2 (a routing key) or the REST API (a service and policy id). */
export type PageVia = 'events' | 'rest';

/** The actor of pages Muster sends by itself (severity policy) and of the entries it records about pages. */
export const MUSTER_ACTOR = 'muster';

/**
 * The severities at which the practice pages the on-call of every affected service (SEV-1 and SEV-2), for a
 * service whose catalog entry sets no paging policy of its own.
 */
export const PRACTICE_PAGED_SEVERITIES: readonly Severity[] = [1, 2];

/** One PagerDuty page: an incident paging one catalog service. Times are epoch ms UTC. */
export interface Page {
  id: number;
  incidentNumber: number;
  service: string;
  via: PageVia;
  dedupKey: string;
  pdIncidentId: string | null;
  status: PageStatus;
  message: string | null;
  severity: Severity;
  requestedBy: string;
  requestedAt: number;
  triggeredAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  escalationPromptedAt: number | null;
  escalationLevel: number;
  /** when Muster last escalated this page (absent in older callers' literals) */
  escalatedAt?: number | null;
}

/** Statuses in which a page may still wake someone: it is not over yet. */
export const isOpenPage = (p: Pick<Page, 'status'>): boolean =>
  p.status === 'pending' || p.status === 'triggered' || p.status === 'acknowledged';

/** Events v2 severity for a Muster severity. */
export const PD_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  1: 'critical',
  2: 'error',
  3: 'warning',
  4: 'info',
};

/** PagerDuty's limit on a dedup key (Events API v2). */
export const MAX_DEDUP_KEY = 255;
/** Room left after the longest service part for a re-page suffix (`-12345`). */
const SUFFIX_ROOM = 12;

/** A short, stable hash of a text (FNV-1a, 32 bits, base 36): tells apart service names cut to one prefix. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/**
 * Stable per incident and service, so PagerDuty itself deduplicates a repeated trigger. A service name too
 * long for PagerDuty's 255 characters (the catalog refuses such names; one from an older catalog may be
 * stored) is cut and followed by a hash of the whole name; every other key is unchanged, so pages already
 * open still resolve.
 */
export function dedupKeyFor(incidentNumber: number, service: string): string {
  const key = `muster-inc-${incidentNumber}-${service.toLowerCase()}`;
  if (key.length <= MAX_DEDUP_KEY - SUFFIX_ROOM) return key;
  const hash = shortHash(service.toLowerCase());
  return `${key.slice(0, MAX_DEDUP_KEY - SUFFIX_ROOM - hash.length - 1)}~${hash}`;
}

/**
 * The dedup key of the `n`th page (1-based) of a service in an incident: the first is `dedupKeyFor`; a re-page
 * after a resolved or failed one, or an Events v2 escalation, needs a new key or PagerDuty would fold it into
 * the old alert.
 */
export const nthDedupKey = (incidentNumber: number, service: string, n: number): string =>
  n <= 1 ? dedupKeyFor(incidentNumber, service) : `${dedupKeyFor(incidentNumber, service)}-${n}`;

/**
 * Whether an escalation prompt is due for a page: severity 1 or 2 (the incident's current one), delivered and
 * unacknowledged for `minutes` since it was triggered or last escalated, and not prompted since then.
 * `minutes` 0 turns prompts off.
 */
export function escalationPromptDue(page: Page, severity: Severity, now: number, minutes: number): boolean {
  if (minutes <= 0 || severity > 2 || page.status !== 'triggered' || page.triggeredAt === null) return false;
  const since = Math.max(page.triggeredAt, page.escalatedAt ?? 0);
  if (page.escalationPromptedAt !== null && page.escalationPromptedAt >= since) return false;
  return now - since >= minutes * 60_000;
}

/** What a PagerDuty webhook said about the incident one of our pages opened. */
export type PagerReportKind =
  | 'triggered'
  | 'acknowledged'
  | 'escalated'
  | 'reassigned'
  | 'resolved'
  | 'annotated';

/** A report from the pager about a page's incident (a PagerDuty webhook), in the core's words. */
export interface PagerReport {
  kind: PagerReportKind;
  /** the report's id: the same on every redelivery, so it is recorded once */
  id: string;
  /** the kind as the pager names it (`incident.acknowledged`), kept on the timeline entry */
  type: string;
  /** when it happened, epoch ms */
  at: number;
  /** the pager's incident: its id, number, incident key (our dedup key) and who it is assigned to */
  incident: { id: string; number: number | null; key: string | null; assignees: readonly string[] };
  /** who did it (a display name), when a person did */
  agent: string | null;
  /** the pager's id of that person (a PagerDuty user id), when the report names one */
  agentId?: string | null;
  /** that person's chat user id (`U…`), when they were found there (by their email) */
  agentUser?: string | null;
  /** the note of `annotated` */
  note: string | null;
}

/** What the outbox asks of PagerDuty for a page. */
export type PageAction = 'trigger' | 'resolve' | 'escalate';

/** The words for an action refused ("PagerDuty refused to page checkout"), on the timeline and in the channel. */
export const REFUSED_ACTION_WORDS: Readonly<Record<PageAction, string>> = {
  trigger: 'page',
  resolve: 'resolve the page to',
  escalate: 'escalate the page to',
};

/** Something that happens to a page: a pager report, the outcome of a delivery, or an escalation asked for. */
export type PageEvent =
  | PagerReport
  /** PagerDuty took the trigger; the REST API names the incident it opened */
  | { kind: 'trigger_sent'; pagerIncidentId: string | null }
  /** PagerDuty took our resolve */
  | { kind: 'resolve_sent' }
  /** PagerDuty refused the trigger for good */
  | { kind: 'trigger_refused'; rowId: number; reason: string }
  /** PagerDuty refused a resolve or an escalation for good */
  | { kind: 'follow_up_refused'; action: 'resolve' | 'escalate'; rowId: number; reason: string }
  /** someone pressed Escalate on a button made at `fromLevel` */
  | { kind: 'escalate'; fromLevel: number; by: string };

export type PageEventKind = PageEvent['kind'];

/**
 * The status machine as a table: for each status and event, the status the page moves to (the same status
 * when it stays), or null when the event is refused. PagerDuty is the truth about its incident, so its reports
 * are never refused: an acknowledgement wakes even a page whose trigger we thought failed. Only an open page
 * can be escalated.
 */
export const PAGE_TRANSITIONS: Readonly<
  Record<PageStatus, Readonly<Record<PageEventKind, PageStatus | null>>>
> = {
  pending: {
    triggered: 'triggered',
    acknowledged: 'acknowledged',
    escalated: 'triggered',
    reassigned: 'pending',
    resolved: 'resolved',
    annotated: 'pending',
    trigger_sent: 'triggered',
    resolve_sent: 'resolved',
    trigger_refused: 'failed',
    follow_up_refused: 'pending',
    escalate: 'pending',
  },
  triggered: {
    triggered: 'triggered',
    acknowledged: 'acknowledged',
    escalated: 'triggered',
    reassigned: 'triggered',
    resolved: 'resolved',
    annotated: 'triggered',
    trigger_sent: 'triggered',
    resolve_sent: 'resolved',
    trigger_refused: 'failed',
    follow_up_refused: 'triggered',
    escalate: 'triggered',
  },
  acknowledged: {
    triggered: 'acknowledged',
    acknowledged: 'acknowledged',
    escalated: 'triggered',
    reassigned: 'acknowledged',
    resolved: 'resolved',
    annotated: 'acknowledged',
    trigger_sent: 'acknowledged',
    resolve_sent: 'resolved',
    trigger_refused: 'failed',
    follow_up_refused: 'acknowledged',
    escalate: 'acknowledged',
  },
  resolved: {
    triggered: 'resolved',
    acknowledged: 'resolved',
    escalated: 'resolved',
    reassigned: 'resolved',
    resolved: 'resolved',
    annotated: 'resolved',
    trigger_sent: 'resolved',
    resolve_sent: 'resolved',
    trigger_refused: 'failed',
    follow_up_refused: 'resolved',
    escalate: null,
  },
  failed: {
    triggered: 'failed',
    acknowledged: 'acknowledged',
    escalated: 'triggered',
    reassigned: 'failed',
    resolved: 'resolved',
    annotated: 'failed',
    trigger_sent: 'failed',
    resolve_sent: 'resolved',
    trigger_refused: 'failed',
    follow_up_refused: 'failed',
    escalate: null,
  },
};

/** The fields of a page an event may change. */
export type PageChange = Partial<Omit<Page, 'id' | 'incidentNumber' | 'service' | 'via' | 'dedupKey'>>;

/** The changed page, the fields that changed, and the timeline entries recording the change. */
export interface PageTransition {
  page: Page;
  change: PageChange;
  entries: NewEntry[];
}

const joined = (names: readonly string[]): string => names.join(', ');

/** What a pager report adds besides the status: times, who acknowledged, the entry. */
function reported(
  page: Page,
  r: PagerReport,
): { change: PageChange; entry: Omit<NewEntry, 'incidentNumber'> | null } {
  const s = page.service;
  const assignees = joined(r.incident.assignees);
  const pd = r.incident.number ? `PagerDuty #${r.incident.number}` : 'PagerDuty';
  const change: PageChange = page.pdIncidentId ? {} : { pdIncidentId: r.incident.id };
  let text: string | null;
  let kind: NewEntry['kind'] = 'page_event';
  switch (r.kind) {
    case 'triggered':
      change.triggeredAt = page.triggeredAt ?? r.at;
      text = `${pd} opened for ${s}${assignees ? `, assigned to ${assignees}` : ''}`;
      break;
    case 'acknowledged': {
      // Found in the chat, they are named as a mention (`<@U…>`) and recorded by their user id.
      const who = r.agentUser ? `<@${r.agentUser}>` : (r.agent ?? r.incident.assignees[0] ?? 'someone');
      change.acknowledgedAt = page.acknowledgedAt ?? r.at;
      change.acknowledgedBy = r.agentUser ?? who;
      const after = page.acknowledgedAt === null ? ` after ${formatDuration(r.at - page.requestedAt)}` : '';
      text = `${s} page acknowledged by ${who}${after}`;
      kind = 'page_ack';
      break;
    }
    case 'escalated':
      text = `${s} page escalated in PagerDuty${assignees ? ` to ${assignees}` : ''}`;
      break;
    case 'reassigned':
      text = `${s} page reassigned${assignees ? ` to ${assignees}` : ''}${r.agent ? ` by ${r.agent}` : ''}`;
      break;
    case 'resolved':
      // Our own resolve was recorded when it was delivered; PagerDuty confirming it adds nothing.
      if (page.status === 'resolved') {
        text = null;
        break;
      }
      change.resolvedAt = r.at;
      text = `${s} page resolved in PagerDuty${r.agent ? ` by ${r.agent}` : ''}`;
      break;
    case 'annotated':
      text = `Note on the ${s} page${r.agent ? ` by ${r.agent}` : ''}: ${r.note ?? ''}`;
      break;
  }
  return {
    change,
    entry:
      text === null
        ? null
        : {
            kind,
            text,
            actor: 'pagerduty',
            occurredAt: r.at,
            sourceKey: `pd:${r.id}`,
            meta: {
              service: s,
              pageId: page.id,
              event: r.type,
              pdIncidentId: r.incident.id,
              ...(r.agent ? { agent: r.agent } : {}),
              // who PagerDuty was paging at that moment: the postmortem lists them as responders
              ...(r.incident.assignees.length ? { assignees: [...r.incident.assignees] } : {}),
              ...(r.agentUser ? { agentUser: r.agentUser } : {}),
            },
          },
  };
}

/**
 * Applies an event to a page. Pure: returns the changed page, the change and its timeline entries. Fails with
 * `page.closed` (escalating a page that is over) or `page.already_escalated` (a second press of one button).
 */
export function pageTransition(page: Page, event: PageEvent, now: number): PageTransition {
  const to = PAGE_TRANSITIONS[page.status][event.kind];
  if (to === null) {
    throw new DomainError(
      'page.closed',
      `The page to *${page.service}* is ${page.status}. Use \`/incident page ${page.service}\` to page again.`,
    );
  }
  const s = page.service;
  const muster = (
    e: Omit<NewEntry, 'incidentNumber' | 'actor' | 'occurredAt'>,
  ): Omit<NewEntry, 'incidentNumber'> => ({
    actor: MUSTER_ACTOR,
    occurredAt: now,
    ...e,
  });
  let change: PageChange = {};
  let entry: Omit<NewEntry, 'incidentNumber'> | null = null;
  switch (event.kind) {
    case 'trigger_sent':
      // a webhook may have moved the page on already (acknowledged before we stored the delivery)
      change = {
        triggeredAt: page.triggeredAt ?? now,
        pdIncidentId: page.pdIncidentId ?? event.pagerIncidentId,
      };
      break;
    case 'resolve_sent':
      if (page.status === 'resolved') break;
      change = { resolvedAt: now };
      entry = muster({
        kind: 'page_event',
        text: `Resolved the PagerDuty page to ${s}`,
        sourceKey: `page-resolved:${page.id}`,
        meta: { service: s, pageId: page.id, event: 'resolved' },
      });
      break;
    case 'trigger_refused':
    case 'follow_up_refused': {
      const action: PageAction = event.kind === 'trigger_refused' ? 'trigger' : event.action;
      entry = muster({
        kind: 'page_event',
        text: `PagerDuty refused to ${REFUSED_ACTION_WORDS[action]} ${s}: ${event.reason}`,
        sourceKey: `outbox-failed:${event.rowId}`,
        meta: { service: s, pageId: page.id, event: 'failed', reason: event.reason },
      });
      break;
    }
    case 'escalate': {
      if (page.escalationLevel !== event.fromLevel) {
        throw new DomainError(
          'page.already_escalated',
          `The page to *${s}* was already escalated (level ${page.escalationLevel}).`,
        );
      }
      const level = page.escalationLevel + 1;
      if (page.via === 'rest') {
        change = { escalationLevel: level, escalatedAt: now };
        entry = {
          kind: 'page_event',
          text: `Escalated the page to ${s} to level ${level}`,
          actor: event.by,
          occurredAt: now,
          sourceKey: `page-escalated:${page.id}:${level}`,
          meta: { service: s, pageId: page.id, event: 'escalate', level },
        };
      } else {
        // Events v2 cannot pick a level: a new trigger calls again. The old page is done asking: its prompt is
        // answered (prompted = escalated = now) and its level moves on, so its button cannot escalate twice.
        change = { escalationLevel: level, escalatedAt: now, escalationPromptedAt: now };
      }
      break;
    }
    default: {
      const r = reported(page, event);
      change = r.change;
      entry = r.entry;
    }
  }
  if (to !== page.status) change.status = to;
  return {
    page: { ...page, ...change },
    change,
    entries: entry ? [{ incidentNumber: page.incidentNumber, ...entry }] : [],
  };
}
