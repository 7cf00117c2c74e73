/** The postmortem view model: the one plain object templates receive (docs/postmortem-template.md lists every field). */
import type { DetectionSource } from './impact.js';
import type { Severity, Status } from './incident.js';
import type { DurationView } from './key-times.js';
import type { PageStatus } from './page.js';
import type { BookkeepingGroup } from './postmortem-timeline.js';
import type { Role } from './roles.js';
import type { EntryKind } from './timeline.js';

export type { DurationView } from './key-times.js';

/** One instant, formatted in the incident's time zone. */
export interface MomentView {
  ms: number;
  date: string;
  time: string;
  /** `date time` */
  dateTime: string;
  /** the time alone when on the incident's first day, else `date time` */
  short: string;
}

export interface RoleHolderView {
  userId: string;
  name: string;
  from: MomentView;
  until: MomentView | null;
  current: boolean;
}

export interface RoleView {
  role: Role;
  title: string;
  holder: RoleHolderView | null;
  /** every holder, first to last */
  holders: RoleHolderView[];
  handedOver: boolean;
}

export interface FileView {
  name: string;
  url: string;
  mimetype: string | null;
}

export interface EntryView {
  id: number;
  /** the entry's number within the incident, as `/incident timeline` shows it */
  number: number;
  at: MomentView;
  actorId: string;
  actor: string;
  kind: EntryKind;
  kindLabel: string;
  /** what happened, as a row's label: `Declared SEV-2`, `Investigating → identified`, `Paged checkout`, `Note` */
  what: string;
  /** Slack text: the entry's text without what `what` says (in a bookkeeping group, without what its title says) */
  details: string;
  /** the bookkeeping group the entry folds into; null for what happened */
  bookkeeping: BookkeepingGroup | null;
  /** Slack-formatted text as it stands now (render with the `slack`/`slackCell` helpers) */
  text: string;
  /** the text first recorded, when the message was edited */
  originalText: string | null;
  files: FileView[];
  permalink: string | null;
  edited: boolean;
  /** the Slack message was deleted: its text and files are gone, `deletedAt` says when (null if unknown) */
  deleted: boolean;
  deletedAt: MomentView | null;
  /** who blanked the entry with `/incident redact`, and when; null when it was not redacted */
  redacted: { by: string; at: MomentView } | null;
}

export interface ActionView {
  id: number;
  priority: 'P0' | 'P1' | 'P2' | 'P3';
  text: string;
  ownerId: string | null;
  owner: string | null;
  due: string | null;
  done: boolean;
  doneAt: MomentView | null;
  doneBy: string | null;
  createdBy: string;
  /** the issue it became in the team's tracker (`OPS-12` and its page); null when it has none */
  issue: { key: string; url: string } | null;
}

export interface PageView {
  id: number;
  service: string;
  status: PageStatus;
  statusLabel: string;
  message: string | null;
  requestedBy: string;
  requestedAt: MomentView;
  acknowledged: boolean;
  acknowledgedBy: string | null;
  acknowledgedAt: MomentView | null;
  /** requested -> acknowledged */
  tta: DurationView | null;
  resolvedAt: MomentView | null;
}

export interface StatusTimeView {
  status: Status;
  label: string;
  duration: DurationView;
  /** how many times the incident entered this status */
  entered: number;
  /** the status an open incident is in now (its time runs to `generatedAt`) */
  current: boolean;
}

export interface KeyTimesView {
  /** when customer impact began, as recorded; null when nobody recorded it */
  impactStarted: MomentView | null;
  /** when the problem was detected */
  detected: MomentView;
  /** where `detected` comes from: `recorded` (set by a person), `declared`, `paged` (a page's PagerDuty trigger) */
  detectedSource: DetectionSource;
  /** the same in words: `recorded`, `the declaration`, `first PagerDuty trigger` */
  detectedFrom: string;
  declared: MomentView;
  /** impact start when recorded; else declared, or the first timeline entry when earlier */
  started: MomentView;
  /** what `started` is: `impact`, `declared` or `first record` */
  startedFrom: 'impact' | 'declared' | 'first record';
  /** the same in words: `impact start`, `declaration`, `first record` */
  startedFromLabel: string;
  firstPage: MomentView | null;
  firstAck: MomentView | null;
  mitigated: MomentView | null;
  resolved: MomentView | null;
  /** time to detect: impact start -> detected; null when the impact start is not recorded */
  ttd: DurationView | null;
  tta: DurationView | null;
  ttm: DurationView | null;
  ttr: DurationView | null;
  duration: DurationView | null;
  elapsed: DurationView;
  statuses: StatusTimeView[];
  reopened: number;
}

/** One day of what happened, in the incident's time zone. */
export interface TimelineDayView {
  /** `2025-03-14` */
  date: string;
  entries: EntryView[];
}

/** Bookkeeping rows of one kind, folded out of the timeline. */
export interface BookkeepingView {
  group: BookkeepingGroup;
  /** `Roles`, `Services attached`, `Runbooks linked`, `Action items`, `Pages resolved` */
  title: string;
  entries: EntryView[];
}

export interface ResponderRoleView {
  role: Role;
  title: string;
  from: MomentView;
  until: MomentView | null;
  current: boolean;
}

/** Someone who took part: a role holder, or anyone who declared, posted, pinned, paged, was paged or acknowledged. */
export interface ResponderView {
  /** Slack user id, or the name PagerDuty gave */
  id: string;
  name: string;
  /** the roles they held, in role order */
  roles: ResponderRoleView[];
  /** when the record first shows them */
  first: MomentView;
  /** what they did, in words: `declared; posted 3 messages; paged checkout` */
  did: string;
}

export interface PostmortemData {
  number: number;
  ref: string;
  /** Slack-formatted, as typed */
  title: string;
  timeZone: string;
  generatedAt: MomentView;
  /** true while the incident is not resolved */
  draft: boolean;
  window: { date: string; start: MomentView; end: MomentView | null; text: string };
  summary: {
    duration: DurationView | null;
    elapsed: DurationView;
    severity: { level: Severity; label: string; name: string };
    status: Status;
    statusLabel: string;
    services: string[];
    description: string;
    resolution: string | null;
    channelName: string | null;
    /** the incident channel: `#name` and a link to it; null before it exists */
    channel: { name: string; url: string } | null;
    roles: RoleView[];
    /** titles of the roles nobody held */
    unfilledRoles: string[];
    runbooks: { title: string; url: string; service: string | null }[];
  };
  /** every entry, bookkeeping included, oldest first */
  timeline: EntryView[];
  /** what happened (the timeline without bookkeeping), one list per day */
  days: TimelineDayView[];
  /** the bookkeeping rows, by group; groups without rows are left out */
  bookkeeping: BookkeepingView[];
  /** everyone who took part */
  responders: ResponderView[];
  /** the latest update that described the impact, to start the Impact section from; null when none did */
  impactUpdate: { text: string; at: MomentView; by: string } | null;
  keyTimes: KeyTimesView;
  actions: ActionView[];
  pages: PageView[];
  names: Record<string, string>;
}
