import type { Severity } from './incident.js';

export type PageStatus = 'pending' | 'triggered' | 'acknowledged' | 'resolved' | 'failed';

/** One PagerDuty page: an incident paging one catalog service. Times are epoch ms UTC. */
export interface Page {
  id: number;
  incidentNumber: number;
  service: string;
  via: 'events' | 'rest';
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
