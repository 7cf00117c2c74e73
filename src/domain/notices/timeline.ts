/** What the timeline use cases tell people, as data; the notifier decides how it looks. */
import type { Incident, IncidentKey } from '../incident.js';
import type { TimelineEntry } from '../timeline.js';

/** What a redaction blanked: the entry as it was (its text left out: that is what was redacted) and its copies. */
export interface Redaction {
  entry: Pick<TimelineEntry, 'number' | 'kind' | 'actor' | 'occurredAt' | 'meta'>;
  /** postmortem drafts written since the entry was recorded: uploaded to Slack, they still hold it there */
  drafts: number;
  /** the records the entry repeated, blanked with it (they would print the words in the postmortem) */
  also: ('message' | 'action' | 'page' | 'summary')[];
}

export type TimelineNotice =
  /** `note <text>` stored a note */
  | { kind: 'note_added'; incident: IncidentKey; entry: TimelineEntry }
  /** a timeline reaction put a message on the timeline, or back on it (`restored`) */
  | { kind: 'entry_pinned'; incident: IncidentKey; entry: TimelineEntry; by: string; restored: boolean }
  /** the message's last timeline reaction came off: its entry is off the timeline (kept for the audit trail) */
  | { kind: 'entry_unpinned'; incident: IncidentKey; entry: TimelineEntry; by: string }
  /** a timeline reaction added nothing: Slack kept failing while the message was read (`error`: its code) */
  | {
      kind: 'pin_failed';
      incident: IncidentKey;
      channelId: string;
      ts: string;
      /** the message's author as the reaction named them */
      author: string | null;
      /** the reaction as Slack named it: taking it off and adding it again retries */
      reaction: string;
      error: string;
    }
  /** a message on the timeline was edited in Slack: its entry took the new text or files */
  | { kind: 'entry_edited'; incident: IncidentKey; entry: TimelineEntry }
  /** a message on the timeline was deleted in Slack: its entry is blank and marked deleted */
  | { kind: 'entry_deleted'; incident: IncidentKey; entry: TimelineEntry }
  /** `redact <n>` blanked an entry and the copies of its words */
  | { kind: 'entry_redacted'; incident: Incident; redaction: Redaction; by: string };
