import type { ActionItem } from './action-item.js';
import { type Incident, incidentRef, severityLabel, severityName, slackChannelUrl } from './incident.js';
import { computeKeyTimes, type DurationView, durationView, type KeyTimes } from './key-times.js';
import type { Page, PageStatus } from './page.js';
import { impactUpdate } from './postmortem-impact.js';
import { responders } from './postmortem-responders.js';
import {
  BOOKKEEPING_GROUPS,
  BOOKKEEPING_TITLES,
  bookkeepingDetails,
  bookkeepingGroup,
  describeEntry,
} from './postmortem-timeline.js';
import type {
  ActionView,
  BookkeepingView,
  EntryView,
  KeyTimesView,
  MomentView,
  PostmortemData,
  RoleHolderView,
  ResponderView,
  RoleView,
  TimelineDayView,
} from './postmortem-view.js';
import { ROLE_TITLES, type Role } from './roles.js';
import { byOccurrence, type EntryKind, type TimelineEntry } from './timeline.js';

export { formatDuration } from './key-times.js';
export type * from './postmortem-view.js';

/** What the postmortem is built from; the use case loads it, the domain shapes it. */
export interface PostmortemInput {
  incident: Incident;
  timeline: TimelineEntry[];
  roles: { role: Role; userId: string; assignedAt: number; endedAt: number | null }[];
  actions: ActionItem[];
  /** the issue each action item became in the team's tracker, by action id (absent: none) */
  issues?: Readonly<Record<number, { key: string; url: string }>>;
  pages: Page[];
  services: string[];
  runbooks: { title: string; url: string; service: string | null }[];
  /** who wrote in the incident channel (from the message cache): messages and the first one's time */
  authors: { userId: string; messages: number; firstAt: number }[];
  /** Slack user id -> display name */
  names: Record<string, string>;
}

/** Time-zone formatting is passed in so the domain stays pure (the adapter builds it for INCIDENT_TIMEZONE). */
export interface PostmortemOptions {
  now: number;
  /** IANA zone the formatters use, named in the document */
  timeZone: string;
  /** epoch ms -> date in the zone, e.g. `2025-03-14` */
  formatDate: (ms: number) => string;
  /** epoch ms -> time of day in the zone, e.g. `09:12` */
  formatTime: (ms: number) => string;
}

export const ENTRY_KIND_LABELS: Record<EntryKind, string> = {
  declared: 'Declared',
  status: 'Status',
  severity: 'Severity',
  role: 'Role',
  update: 'Update',
  note: 'Note',
  message: 'Message',
  runbook: 'Runbook',
  service: 'Service',
  page: 'Page',
  page_ack: 'Page acknowledged',
  page_event: 'PagerDuty',
  action: 'Action item',
  postmortem: 'Postmortem',
  resolved: 'Resolved',
  reopened: 'Reopened',
  impact: 'Impact',
};

const STARTED_FROM: Record<KeyTimes['startedFrom'], string> = {
  impact: 'impact start',
  declared: 'declaration',
  'first record': 'first record',
};

const DETECTED_FROM: Record<KeyTimes['detectedSource'], string> = {
  recorded: 'recorded',
  declared: 'the declaration',
  paged: 'first PagerDuty trigger',
};

const SYSTEM_ACTORS: Record<string, string> = { pagerduty: 'PagerDuty', muster: 'Muster' };

const PAGE_STATUS_LABELS: Record<PageStatus, string> = {
  pending: 'Pending',
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  failed: 'Failed',
};

/** The order INCIDENT-PRACTICE lists the roles in. */
const ROLE_ORDER: readonly Role[] = ['ic', 'tech', 'comms', 'scribe'];

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Shapes an incident's record into the postmortem view model; never throws on incomplete data. */
export function toPostmortemData(input: PostmortemInput, opts: PostmortemOptions): PostmortemData {
  const { incident, names } = input;
  // The document leaves out entries taken off the timeline and its own drafts: written twice from the same
  // record (the upload, then `muster export`), it is the same document.
  const timeline = input.timeline
    .filter((e) => e.state !== 'removed' && e.kind !== 'postmortem')
    .sort(byOccurrence);
  const keyTimes = computeKeyTimes(incident, timeline, input.pages, opts.now);
  const firstDay = opts.formatDate(keyTimes.started);
  const moment = (ms: number): MomentView => {
    const date = opts.formatDate(ms);
    const time = opts.formatTime(ms);
    const dateTime = `${date} ${time}`;
    return { ms, date, time, dateTime, short: date === firstDay ? time : dateTime };
  };
  const nameOf = (id: string): string =>
    (Object.hasOwn(names, id) ? names[id] : undefined) ??
    (Object.hasOwn(SYSTEM_ACTORS, id) ? SYSTEM_ACTORS[id] : undefined) ??
    id;
  const start = moment(keyTimes.started);
  const end = keyTimes.resolved === null ? null : moment(keyTimes.resolved);
  const entries = timeline.map((e) => entryView(e, nameOf, moment));
  const roles = roleViews(input.roles, nameOf, moment);
  const impact = impactUpdate(timeline);

  return {
    number: incident.number,
    ref: incidentRef(incident.number),
    title: incident.title,
    timeZone: opts.timeZone,
    generatedAt: moment(opts.now),
    draft: incident.status !== 'resolved',
    window: { date: start.date, start, end, text: windowText(start, end) },
    summary: {
      duration: keyTimes.duration === null ? null : durationView(keyTimes.duration),
      elapsed: durationView(keyTimes.elapsed),
      severity: {
        level: incident.severity,
        label: severityLabel(incident.severity),
        name: severityName[incident.severity],
      },
      status: incident.status,
      statusLabel: capitalise(incident.status),
      services: [...input.services],
      description: incident.description,
      resolution: incident.summary,
      channelName: incident.channelName,
      channel: channelView(incident, timeline),
      roles,
      unfilledRoles: roles.filter((r) => r.holders.length === 0).map((r) => r.title),
      runbooks: input.runbooks.map((r) => ({ title: r.title, url: r.url, service: r.service })),
    },
    timeline: entries,
    days: dayViews(entries),
    bookkeeping: bookkeepingViews(entries),
    responders: responderViews(input, nameOf, moment),
    impactUpdate: impact
      ? { text: impact.text, at: moment(impact.occurredAt), by: nameOf(impact.actor) }
      : null,
    keyTimes: keyTimesView(keyTimes, moment),
    actions: [...input.actions]
      .sort((a, b) => a.priority.localeCompare(b.priority) || a.createdAt - b.createdAt || a.id - b.id)
      .map((a) => ({
        id: a.id,
        priority: a.priority.toUpperCase() as ActionView['priority'],
        text: a.text,
        ownerId: a.ownerId,
        owner: a.ownerId === null ? null : nameOf(a.ownerId),
        due: a.due,
        done: a.doneAt !== null,
        doneAt: a.doneAt === null ? null : moment(a.doneAt),
        doneBy: a.doneBy === null ? null : nameOf(a.doneBy),
        createdBy: nameOf(a.createdBy),
        issue: input.issues?.[a.id] ?? null,
      })),
    pages: [...input.pages]
      .sort((a, b) => a.requestedAt - b.requestedAt || a.id - b.id)
      .map((p) => ({
        id: p.id,
        service: p.service,
        status: p.status,
        statusLabel: PAGE_STATUS_LABELS[p.status],
        message: p.message,
        requestedBy: nameOf(p.requestedBy),
        requestedAt: moment(p.requestedAt),
        acknowledged: p.acknowledgedAt !== null,
        acknowledgedBy: p.acknowledgedBy === null ? null : nameOf(p.acknowledgedBy),
        acknowledgedAt: p.acknowledgedAt === null ? null : moment(p.acknowledgedAt),
        tta: p.acknowledgedAt === null ? null : durationView(p.acknowledgedAt - p.requestedAt),
        resolvedAt: p.resolvedAt === null ? null : moment(p.resolvedAt),
      })),
    names: { ...names },
  };
}

/** What happened, one list per day (the date shown once, at the day's start). */
function dayViews(entries: readonly EntryView[]): TimelineDayView[] {
  const days: TimelineDayView[] = [];
  for (const e of entries) {
    if (e.bookkeeping) continue;
    const last = days.at(-1);
    if (last?.date === e.at.date) last.entries.push(e);
    else days.push({ date: e.at.date, entries: [e] });
  }
  return days;
}

function bookkeepingViews(entries: readonly EntryView[]): BookkeepingView[] {
  return BOOKKEEPING_GROUPS.map((group) => ({
    group,
    title: BOOKKEEPING_TITLES[group],
    entries: entries.filter((e) => e.bookkeeping === group),
  })).filter((g) => g.entries.length > 0);
}

function responderViews(
  input: PostmortemInput,
  nameOf: (id: string) => string,
  moment: (ms: number) => MomentView,
): ResponderView[] {
  return responders({
    declaredBy: input.incident.declaredBy,
    declaredAt: input.incident.declaredAt,
    timeline: input.timeline,
    roles: input.roles,
    pages: input.pages,
    authors: input.authors,
  }).map((r) => ({
    id: r.id,
    name: nameOf(r.id),
    roles: r.roles.map((role) => ({
      role: role.role,
      title: role.title,
      from: moment(role.from),
      until: role.until === null ? null : moment(role.until),
      current: role.until === null,
    })),
    first: moment(r.first),
    did: r.did,
  }));
}

/**
 * The incident channel's link: the workspace's own address when a message link on the timeline shows it
 * (`https://acme.slack.com/archives/C42`), else Slack's redirect, which opens the channel in the app.
 */
function channelView(
  incident: Incident,
  timeline: readonly TimelineEntry[],
): PostmortemData['summary']['channel'] {
  const id = incident.channelId;
  if (!id) return null;
  const name = `#${incident.channelName ?? id}`;
  for (const e of timeline) {
    const link = e.meta.permalink;
    if (typeof link !== 'string') continue;
    const at = link.indexOf(`/archives/${id}/`);
    if (at > 0 && /^https?:\/\/[^/]+$/i.test(link.slice(0, at)))
      return { name, url: link.slice(0, at + 10 + id.length) };
  }
  return { name, url: slackChannelUrl(incident)! };
}

function keyTimesView(k: KeyTimes, moment: (ms: number) => MomentView): KeyTimesView {
  const at = (ms: number | null): MomentView | null => (ms === null ? null : moment(ms));
  const dur = (ms: number | null): DurationView | null => (ms === null ? null : durationView(ms));
  return {
    impactStarted: at(k.impactStarted),
    detected: moment(k.detected),
    detectedSource: k.detectedSource,
    detectedFrom: DETECTED_FROM[k.detectedSource],
    declared: moment(k.declared),
    started: moment(k.started),
    startedFrom: k.startedFrom,
    startedFromLabel: STARTED_FROM[k.startedFrom],
    firstPage: at(k.firstPage),
    firstAck: at(k.firstAck),
    mitigated: at(k.mitigated),
    resolved: at(k.resolved),
    ttd: dur(k.ttd),
    tta: dur(k.tta),
    ttm: dur(k.ttm),
    ttr: dur(k.ttr),
    duration: dur(k.duration),
    elapsed: durationView(k.elapsed),
    statuses: k.statuses.map((s) => ({
      status: s.status,
      label: capitalise(s.status),
      duration: durationView(s.ms),
      entered: s.entered,
      current: s.current,
    })),
    reopened: k.reopened,
  };
}

/** `2025-03-14 09:12–11:47`, across days `2025-03-14 23:10 – 2025-03-15 01:02`, open `… – ongoing`. */
function windowText(start: MomentView, end: MomentView | null): string {
  if (!end) return `${start.dateTime} – ongoing`;
  if (end.date === start.date) return `${start.dateTime}–${end.time}`;
  return `${start.dateTime} – ${end.dateTime}`;
}

function roleViews(
  rows: PostmortemInput['roles'],
  nameOf: (id: string) => string,
  moment: (ms: number) => MomentView,
): RoleView[] {
  return ROLE_ORDER.map((role) => {
    const holders = rows
      .filter((r) => r.role === role)
      .sort((a, b) => a.assignedAt - b.assignedAt)
      .map(
        (r): RoleHolderView => ({
          userId: r.userId,
          name: nameOf(r.userId),
          from: moment(r.assignedAt),
          until: r.endedAt === null ? null : moment(r.endedAt),
          current: r.endedAt === null,
        }),
      );
    return {
      role,
      title: ROLE_TITLES[role],
      holder: holders.find((h) => h.current) ?? null,
      holders,
      handedOver: holders.length > 1,
    };
  });
}

function entryView(
  e: TimelineEntry,
  nameOf: (id: string) => string,
  moment: (ms: number) => MomentView,
): EntryView {
  // A deleted or redacted entry never shows words, whatever an older record still holds.
  const blank = e.state === 'deleted' || e.redactedAt !== null;
  const files = !blank && Array.isArray(e.meta.files) ? e.meta.files : [];
  const kindLabel = ENTRY_KIND_LABELS[e.kind] ?? e.kind;
  const group = bookkeepingGroup(e);
  const shown = blank ? { ...e, text: '' } : e;
  const described = describeEntry(shown, kindLabel);
  return {
    id: e.id,
    number: e.number,
    at: moment(e.occurredAt),
    actorId: e.actor,
    actor: nameOf(e.actor),
    kind: e.kind,
    kindLabel,
    what: described.what,
    details: group ? bookkeepingDetails(shown, group) : described.details,
    bookkeeping: group,
    text: blank ? '' : e.text,
    originalText: blank ? null : e.originalText,
    files: files.map((f) => ({ name: f.name, url: f.url, mimetype: f.mimetype ?? null })),
    permalink: typeof e.meta.permalink === 'string' ? e.meta.permalink : null,
    edited: !blank && (e.originalText !== null || typeof e.meta.editedAt === 'number'),
    deleted: e.state === 'deleted',
    deletedAt:
      e.state === 'deleted' && typeof e.meta.deletedAt === 'number' ? moment(e.meta.deletedAt) : null,
    redacted:
      e.redactedAt !== null ? { by: nameOf(e.redactedBy ?? 'unknown'), at: moment(e.redactedAt) } : null,
  };
}
