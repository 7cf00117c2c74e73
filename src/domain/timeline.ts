/** What kind of thing a timeline entry records. */
export const ENTRY_KINDS = [
  'declared',
  'status',
  'severity',
  'role',
  'update',
  'note',
  'message',
  'runbook',
  'service',
  'page',
  'page_ack',
  'page_event',
  'action',
  'postmortem',
  'resolved',
  'reopened',
  'impact',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * active: shown; removed: the last timeline reaction was taken off; deleted: the Slack message was deleted
 * (its text and files are blanked: only the fact and its time, `meta.deletedAt`, remain).
 */
export type EntryState = 'active' | 'removed' | 'deleted';

export interface FileRef {
  name: string;
  url: string;
  mimetype?: string;
}

export interface TimelineEntry {
  id: number;
  incidentNumber: number;
  /** The entry's number within its incident, as `timeline` shows it and `redact` takes it; never reused. */
  number: number;
  kind: EntryKind;
  /** Slack-formatted text as written by the user (may hold `<@U1>` markup). */
  text: string;
  /** The text first recorded, when the message was edited later. */
  originalText: string | null;
  /** Slack user id, or a system name such as `pagerduty` or `muster`. */
  actor: string;
  /** When it happened (a message's own ts, not when it was reacted to); epoch ms UTC. */
  occurredAt: number;
  recordedAt: number;
  /** Unique per incident; a repeated delivery of the same fact yields the same key. */
  sourceKey: string;
  state: EntryState;
  meta: EntryMeta;
  /** Who blanked the entry with `/incident redact`, and when (epoch ms); null when it was not redacted. */
  redactedBy: string | null;
  redactedAt: number | null;
}

export interface EntryMeta {
  channelId?: string;
  messageTs?: string;
  threadTs?: string;
  permalink?: string;
  files?: FileRef[];
  editedAt?: number;
  /** when the Slack message was deleted (epoch ms) */
  deletedAt?: number;
  [key: string]: unknown;
}

/** A new entry, before the store gives it an id. */
export type NewEntry = Omit<
  TimelineEntry,
  'id' | 'number' | 'recordedAt' | 'state' | 'originalText' | 'meta' | 'redactedBy' | 'redactedAt'
> & {
  meta?: EntryMeta;
};

/** Timeline order: by occurrence, then by recording. */
export const byOccurrence = (a: TimelineEntry, b: TimelineEntry): number =>
  a.occurredAt - b.occurredAt || a.recordedAt - b.recordedAt || a.id - b.id;

/** Converts a Slack `ts` ("1700000000.123456") to epoch milliseconds. */
export const tsToMillis = (ts: string): number => Math.round(Number.parseFloat(ts) * 1000);
