/**
 * A page of the timeline as people read it in Slack: date and time in INCIDENT_TIMEZONE, the actor's display
 * name, the kind, and the text with Slack markup made readable and cut to a screen. Pure.
 */
import type { TimelineShown } from '../../../app/timeline/show-timeline.js';
import { ENTRY_KIND_LABELS } from '../../../domain/postmortem.js';
import type { EntryKind, FileRef } from '../../../domain/timeline.js';
import type { TimelinePage } from '../../../domain/timeline-page.js';
import { slackToPlain } from '../../render/slack-text.js';
import type { TimeFormatters } from '../../render/time-format.js';
import { ELLIPSIS, fitPlain } from '../text-fit.js';

const SYSTEM_ACTORS: Record<string, string> = {
  muster: 'Muster',
  pagerduty: 'PagerDuty',
  unknown: 'someone',
};

/** Longer texts are cut in the view (the postmortem keeps them whole). */
export const SHOWN_TEXT_CHARS = 200;

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

/** Cuts between graphemes, so an emoji (with its skin tone or ZWJ sequence) is never split. */
function cut(text: string, max: number): { text: string; cut: boolean } {
  const shown = fitPlain(text, max + ELLIPSIS.length);
  return { text: shown, cut: shown !== text };
}

/** The page's lines, with dates and times from `times` (INCIDENT_TIMEZONE). */
export function timelineView(shown: TimelineShown, times: TimeFormatters): TimelineView {
  const { names } = shown;
  const { formatDate, formatTime } = times;
  const at = (ms: number): string => `${formatDate(ms)} ${formatTime(ms)}`;
  const lines = shown.page.entries.map((e): TimelineLine => {
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
    incidentNumber: shown.incident.number,
    title: shown.incident.title,
    timeZone: times.timeZone,
    page: { ...shown.page, entries: lines },
  };
}
