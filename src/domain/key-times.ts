import { type DetectionSource, detection } from './impact.js';
import { type Incident, REOPEN_STATUS, STATUSES, type Status } from './incident.js';
import type { Page } from './page.js';
import type { TimelineEntry } from './timeline.js';

export { type DurationView, durationView, formatDuration } from './duration.js';

/** One change of status read from the timeline. */
export interface StatusChange {
  at: number;
  from: Status | null;
  to: Status;
}

/** The times a postmortem reports, as epoch ms (see INCIDENT-PRACTICE "Times a postmortem reports"). */
export interface KeyTimes {
  /** when customer impact began, as recorded; null when nobody recorded it */
  impactStarted: number | null;
  /** when it was detected: as recorded, else the earlier of the declaration and a page's PagerDuty trigger */
  detected: number;
  detectedSource: DetectionSource;
  declared: number;
  /** impact start when recorded; else declared, or the first timeline entry when earlier */
  started: number;
  /** what `started` is */
  startedFrom: 'impact' | 'declared' | 'first record';
  firstPage: number | null;
  firstAck: number | null;
  mitigated: number | null;
  resolved: number | null;
  /** time to detect: impact start -> detected; null when the impact start is not recorded */
  ttd: number | null;
  tta: number | null;
  ttm: number | null;
  ttr: number | null;
  /** started -> resolved */
  duration: number | null;
  /** started -> resolved, or -> now while open */
  elapsed: number;
  statuses: { status: Status; ms: number; entered: number; current: boolean }[];
  reopened: number;
}

const isStatus = (v: unknown): v is Status =>
  typeof v === 'string' && (STATUSES as readonly string[]).includes(v);

/**
 * Status changes, oldest first. Entries of kind `status`, `resolved` and `reopened` count; `meta.to` (a
 * Status) says where the change went and `meta.from` where it came from. Without a valid `meta.to`,
 * `resolved` means resolved and `reopened` means back to REOPEN_STATUS; a `status` entry is skipped.
 */
export function statusChanges(timeline: readonly TimelineEntry[]): StatusChange[] {
  const out: StatusChange[] = [];
  for (const e of timeline) {
    if (e.state === 'removed') continue;
    if (e.kind !== 'status' && e.kind !== 'resolved' && e.kind !== 'reopened') continue;
    const to = isStatus(e.meta.to)
      ? e.meta.to
      : e.kind === 'resolved'
        ? 'resolved'
        : e.kind === 'reopened'
          ? REOPEN_STATUS
          : null;
    if (!to) continue;
    out.push({ at: e.occurredAt, from: isStatus(e.meta.from) ? e.meta.from : null, to });
  }
  return out.sort((a, b) => a.at - b.at);
}

const minOf = (xs: (number | null)[]): number | null => {
  let m: number | null = null;
  for (const x of xs) if (x !== null && (m === null || x < m)) m = x;
  return m;
};

/**
 * Computes the key times. `timeline` must exclude removed entries. Pages marked `failed` do not count
 * as a first page; a page's time is when it was requested. Time in each status starts at `declaredAt`
 * and runs to `now` for the status an open incident is in; time spent resolved counts only when the
 * incident was reopened afterwards.
 */
export function computeKeyTimes(
  incident: Incident,
  timeline: readonly TimelineEntry[],
  pages: readonly Page[],
  now: number,
): KeyTimes {
  const changes = statusChanges(timeline);
  const declared = incident.declaredAt;
  const firstRecord = minOf([declared, ...timeline.map((e) => e.occurredAt)])!;
  const impactStarted = incident.impactStartedAt;
  const started = impactStarted ?? firstRecord;
  const startedFrom: KeyTimes['startedFrom'] =
    impactStarted !== null ? 'impact' : firstRecord < declared ? 'first record' : 'declared';
  const detected = detection(incident, pages);
  const firstPage = minOf(pages.filter((p) => p.status !== 'failed').map((p) => p.requestedAt));
  const firstAck = minOf(pages.map((p) => p.acknowledgedAt));
  const mitigated = minOf([incident.mitigatedAt, changes.find((c) => c.to === 'monitoring')?.at ?? null]);
  const lastResolve = changes.filter((c) => c.to === 'resolved').at(-1)?.at ?? null;
  const resolved = incident.status === 'resolved' ? (incident.resolvedAt ?? lastResolve) : null;
  const since = (to: number | null, from: number | null): number | null =>
    to === null || from === null ? null : Math.max(0, to - from);

  const { statuses, reopened } = timeInStatus(incident, changes, now);
  return {
    impactStarted,
    detected: detected.at,
    detectedSource: detected.source,
    declared,
    started,
    startedFrom,
    firstPage,
    firstAck,
    mitigated,
    resolved,
    ttd: since(detected.at, impactStarted),
    tta: since(firstAck, firstPage),
    ttm: since(mitigated, declared),
    ttr: since(resolved, declared),
    duration: since(resolved, started),
    elapsed: Math.max(0, (resolved ?? now) - started),
    statuses,
    reopened,
  };
}

function timeInStatus(
  incident: Incident,
  changes: readonly StatusChange[],
  now: number,
): { statuses: KeyTimes['statuses']; reopened: number } {
  const ms = new Map<Status, number>();
  const entered = new Map<Status, number>();
  let current: Status = changes.length === 0 ? incident.status : (changes[0]!.from ?? 'investigating');
  let cursor = incident.declaredAt;
  let reopened = 0;
  entered.set(current, 1);
  for (const c of changes) {
    const at = Math.max(cursor, c.at);
    ms.set(current, (ms.get(current) ?? 0) + (at - cursor));
    cursor = at;
    if (c.to === current) continue;
    if (current === 'resolved') reopened++;
    current = c.to;
    entered.set(current, (entered.get(current) ?? 0) + 1);
  }
  const open = current !== 'resolved';
  if (open) ms.set(current, (ms.get(current) ?? 0) + Math.max(0, now - cursor));
  const statuses = STATUSES.filter((s) => (entered.get(s) ?? 0) > 0)
    // the final resolution is an end, not a stay; a resolved spell that was reopened is a stay
    .filter((s) => s !== 'resolved' || (ms.get(s) ?? 0) > 0)
    .map((s) => ({
      status: s,
      ms: ms.get(s) ?? 0,
      entered: entered.get(s) ?? 0,
      current: open && s === current,
    }));
  return { statuses, reopened };
}
