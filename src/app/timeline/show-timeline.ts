/**
 * `timeline [page]`: the incident's entries as people read them: date and time in INCIDENT_TIMEZONE, the
 * actor's display name, the kind, and the text with Slack markup made readable. Paged, because a long
 * incident has hundreds of entries; the complete record is the postmortem export.
 */
import { ENTRY_KIND_LABELS } from '../../domain/postmortem.js';
import type { Incident } from '../../domain/incident.js';
import type { EntryKind, FileRef, TimelineEntry } from '../../domain/timeline.js';
import { type TimelinePage, timelinePage } from '../../domain/timeline-page.js';
import { slackToPlain } from '../../adapters/render/slack-text.js';
import { ELLIPSIS, fitPlain } from '../../adapters/slack/text-fit.js';
import { makeTimeFormatters } from '../../adapters/render/time-format.js';
import type { Ports } from '../ports.js';

/** Entries per page: about what fits on a screen in Slack. */
export const TIMELINE_PAGE_SIZE = 30;
/** Longer texts are cut in the view (the postmortem keeps them whole). */
export const SHOWN_TEXT_CHARS = 200;
/** The view is the slash command's answer: waiting longer for names than this would miss Slack's 3 s. */
const NAME_WAIT_MS = 1500;

const SYSTEM_ACTORS: Record<string, string> = {
  muster: 'Muster',
  pagerduty: 'PagerDuty',
  unknown: 'someone',
};

export interface TimelineLine {
  /** the entry's number within the incident (what `redact` takes) */
  number: number;
  date: string;
  time: string;
  actor: string;
  kind: EntryKind;
  kindLabel: string;
  /** plain text (markup made readable), cut to SHOWN_TEXT_CHARS */
  text: string;
  cut: boolean;
  edited: boolean;
  deleted: boolean;
  /** when the message was deleted in Slack (`date time`), when known */
  deletedAt: string | null;
  /** who redacted the entry (display name) and when (`date time`); null when it was not redacted */
  redacted: { by: string; at: string } | null;
  permalink: string | null;
  files: FileRef[];
}

export interface TimelineView {
  incidentNumber: number;
  title: string;
  timeZone: string;
  page: TimelinePage<TimelineLine>;
}

const MENTIONED_USER = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const MENTIONED_CHANNEL = /<#([CG][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Cuts between graphemes, so an emoji (with its skin tone or ZWJ sequence) is never split. */
function cut(text: string, max: number): { text: string; cut: boolean } {
  const shown = fitPlain(text, max + ELLIPSIS.length);
  return { text: shown, cut: shown !== text };
}

/** Display names for `ids`, waiting at most NAME_WAIT_MS for Slack; past it, the cached ones (else the id). */
async function namesFor(deps: Ports, ids: string[]): Promise<Record<string, string>> {
  const cached: Record<string, string> = {};
  for (const [id, u] of deps.store.users.many(ids)) cached[id] = u.displayName;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Record<string, string>>((resolve) => {
    timer = setTimeout(() => resolve(cached), NAME_WAIT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([deps.users.names(ids), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Loads page `page` of the incident's timeline (removed entries left out); a page past the end is a DomainError. */
export async function loadTimelineView(
  deps: Ports,
  incident: Incident,
  page: number,
  perPage = TIMELINE_PAGE_SIZE,
): Promise<TimelineView> {
  const shown = timelinePage<TimelineEntry>(deps.store.timeline.list(incident.number), page, perPage);
  const userIds = new Set<string>();
  const channelNames: Record<string, string> = {};
  for (const e of shown.entries) {
    if (!(e.actor in SYSTEM_ACTORS)) userIds.add(e.actor);
    if (e.redactedBy) userIds.add(e.redactedBy);
    for (const m of e.text.matchAll(MENTIONED_USER)) userIds.add(m[1]!);
    for (const m of e.text.matchAll(MENTIONED_CHANNEL)) {
      const name = deps.store.incidents.byChannel(m[1]!)?.channelName;
      if (name) channelNames[m[1]!] = name;
    }
  }
  const names = { ...channelNames, ...(await namesFor(deps, [...userIds])) };
  const { formatDate, formatTime } = makeTimeFormatters(deps.config.INCIDENT_TIMEZONE);
  const at = (ms: number): string => `${formatDate(ms)} ${formatTime(ms)}`;
  const lines = shown.entries.map((e): TimelineLine => {
    // A deleted or redacted entry never shows words, whatever an older record still holds.
    const blank = e.state === 'deleted' || e.redactedAt !== null;
    const plain = blank ? '' : slackToPlain(e.text, names).replace(/\s+/g, ' ').trim();
    const shortened = cut(plain, SHOWN_TEXT_CHARS);
    return {
      number: e.number,
      date: formatDate(e.occurredAt),
      time: formatTime(e.occurredAt),
      actor: SYSTEM_ACTORS[e.actor] ?? names[e.actor] ?? e.actor,
      kind: e.kind,
      kindLabel: ENTRY_KIND_LABELS[e.kind] ?? e.kind,
      text: shortened.text,
      cut: shortened.cut,
      edited: !blank && e.originalText !== null,
      deleted: e.state === 'deleted',
      deletedAt: e.state === 'deleted' && typeof e.meta.deletedAt === 'number' ? at(e.meta.deletedAt) : null,
      redacted:
        e.redactedAt !== null
          ? { by: names[e.redactedBy ?? ''] ?? e.redactedBy ?? 'someone', at: at(e.redactedAt) }
          : null,
      permalink: typeof e.meta.permalink === 'string' ? e.meta.permalink : null,
      files: !blank && Array.isArray(e.meta.files) ? e.meta.files : [],
    };
  });
  return {
    incidentNumber: incident.number,
    title: incident.title,
    timeZone: deps.config.INCIDENT_TIMEZONE,
    page: { ...shown, entries: lines },
  };
}
