import { DomainError } from './errors.js';
import { closest } from './nearest.js';
import type { NewEntry } from './timeline.js';

export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type Status = (typeof STATUSES)[number];

/** What Muster knows of one incident. Times are epoch milliseconds, UTC. */
export interface Incident {
  number: number;
  title: string;
  description: string;
  severity: Severity;
  status: Status;
  teamId: string;
  channelId: string | null;
  channelName: string | null;
  /** a private incident: its channel is private, and nothing of it is told outside that channel */
  private: boolean;
  declaredBy: string;
  declaredAt: number;
  /** when customer impact began, as people recorded it; null when not recorded */
  impactStartedAt: number | null;
  /** when the problem was detected, as recorded; null: the default (`detection()` in impact.ts) */
  detectedAt: number | null;
  /** first entry into monitoring (the moment of mitigation) */
  mitigatedAt: number | null;
  resolvedAt: number | null;
  summary: string | null;
  /** ts of the pinned headline message in the incident channel */
  headlineTs: string | null;
  /** ts of the announcement (thread parent) in the announce channel */
  announceTs: string | null;
  lastUpdateAt: number | null;
  updatedAt: number;
}

export const severityLabel = (s: Severity): string => `SEV-${s}`;
export const severityName: Record<Severity, string> = { 1: 'critical', 2: 'high', 3: 'medium', 4: 'low' };

export const incidentRef = (n: number): string => `INC-${n}`;

/**
 * An incident by its number alone, which never changes: what a change made in its channel (a note, a pin, an
 * edit) knows of it, and all its notices carry.
 */
export type IncidentKey = Pick<Incident, 'number'>;

/** The incident's page on Muster's web page (`WEB_BASE_URL` without its last slash); null when there is none. */
export const incidentWebUrl = (webBaseUrl: string | undefined, n: number): string | null =>
  webBaseUrl ? `${webBaseUrl}/incidents/${n}` : null;

/** A link that opens the incident channel in Slack (desktop app or browser); null before the channel exists. */
export const slackChannelUrl = (incident: Pick<Incident, 'channelId' | 'teamId'>): string | null => {
  if (!incident.channelId) return null;
  const team = incident.teamId ? `&team=${encodeURIComponent(incident.teamId)}` : '';
  return `https://slack.com/app_redirect?channel=${encodeURIComponent(incident.channelId)}${team}`;
};

/**
 * The status machine as a table: for each status, the statuses it may move to.
 * Forward steps may skip; monitoring may fall back; resolved is left only by reopen.
 */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: [],
};

/** The status `reopen` returns a resolved incident to. */
export const REOPEN_STATUS: Status = 'investigating';

export const canTransition = (from: Status, to: Status): boolean => TRANSITIONS[from].includes(to);

/** Parses a status word; a typo gets the nearest valid word suggested. */
export function parseStatus(word: string): Status {
  const w = word.trim().toLowerCase();
  if ((STATUSES as readonly string[]).includes(w)) return w as Status;
  const near = closest(w, STATUSES);
  throw new DomainError(
    'incident.unknown_status',
    `"${word}" is not a status.${near ? ` Did you mean \`${near}\`?` : ''} Statuses: ${STATUSES.join(', ')}.`,
    { suggestion: near },
  );
}

/** Parses `1`..`4`, `sev1`..`sev4` or `SEV-2`. */
export function parseSeverity(word: string): Severity {
  const m = /^(?:sev-?)?([1-4])$/i.exec(word.trim());
  if (!m) {
    throw new DomainError(
      'incident.invalid_severity',
      `"${word}" is not a severity: use 1, 2, 3 or 4 (sev1 is the most severe).`,
    );
  }
  return Number(m[1]) as Severity;
}

/** A change of the lifecycle; `by` is the Slack user making it. */
export type LifecycleCommand =
  | { kind: 'status'; status: Status; by: string }
  | { kind: 'severity'; severity: Severity; by: string }
  | { kind: 'resolve'; summary: string | null; by: string }
  | { kind: 'reopen'; reason: string | null; by: string };

/** The changed incident and the timeline entries recording the change. */
export interface Transition {
  incident: Incident;
  entries: NewEntry[];
}

const nextStates = (from: Status): string =>
  TRANSITIONS[from].length
    ? TRANSITIONS[from].map((s) => `\`${s}\``).join(', ')
    : 'none (`/incident reopen` first)';

/**
 * Applies a lifecycle command: status (including `resolved`), severity, resolve or reopen. Pure: returns the
 * new incident and its timeline entries. Fails with `incident.invalid_transition` (naming the allowed next
 * states), `incident.unchanged` or `incident.not_resolved`.
 */
export function transition(incident: Incident, command: LifecycleCommand, now: number): Transition {
  const from = incident.status;
  const entry = (e: Omit<NewEntry, 'incidentNumber' | 'actor' | 'occurredAt'>): NewEntry => ({
    incidentNumber: incident.number,
    actor: command.by,
    occurredAt: now,
    ...e,
  });
  switch (command.kind) {
    case 'severity': {
      const to = command.severity;
      if (to === incident.severity) {
        throw new DomainError(
          'incident.unchanged',
          `${incidentRef(incident.number)} is already ${severityLabel(to)}.`,
          { severity: to },
        );
      }
      return {
        incident: { ...incident, severity: to, updatedAt: now },
        entries: [
          entry({
            kind: 'severity',
            text: `Severity changed from ${severityLabel(incident.severity)} to ${severityLabel(to)}`,
            sourceKey: `severity:${incident.severity}>${to}:${now}`,
            meta: { from: incident.severity, to },
          }),
        ],
      };
    }
    case 'reopen': {
      if (from !== 'resolved') {
        throw new DomainError(
          'incident.not_resolved',
          `${incidentRef(incident.number)} is not resolved (it is ${from}), so there is nothing to reopen.`,
          {
            status: from,
          },
        );
      }
      return {
        incident: { ...incident, status: REOPEN_STATUS, resolvedAt: null, updatedAt: now },
        entries: [
          entry({
            kind: 'reopened',
            text: command.reason ? `Reopened: ${command.reason}` : 'Reopened',
            sourceKey: `reopened:${now}`,
            meta: { from, to: REOPEN_STATUS, ...(command.reason ? { reason: command.reason } : {}) },
          }),
        ],
      };
    }
    case 'resolve':
    case 'status': {
      const to: Status = command.kind === 'resolve' ? 'resolved' : command.status;
      if (to === from) {
        throw new DomainError(
          'incident.unchanged',
          `${incidentRef(incident.number)} is already ${from}. Next: ${nextStates(from)}.`,
          {
            status: from,
            allowed: TRANSITIONS[from],
          },
        );
      }
      if (!canTransition(from, to)) {
        throw new DomainError(
          'incident.invalid_transition',
          `${incidentRef(incident.number)} cannot go from ${from} to ${to}. From ${from} it can go to: ${nextStates(from)}.`,
          { from, to, allowed: TRANSITIONS[from] },
        );
      }
      if (to === 'resolved') {
        const summary = command.kind === 'resolve' ? command.summary : null;
        return {
          incident: {
            ...incident,
            status: to,
            resolvedAt: now,
            summary: summary ?? incident.summary,
            updatedAt: now,
          },
          entries: [
            entry({
              kind: 'resolved',
              text: summary ? `Resolved: ${summary}` : 'Resolved',
              sourceKey: `resolved:${now}`,
              meta: { from, to, ...(summary ? { summary } : {}) },
            }),
          ],
        };
      }
      return {
        incident: {
          ...incident,
          status: to,
          mitigatedAt: to === 'monitoring' && incident.mitigatedAt === null ? now : incident.mitigatedAt,
          updatedAt: now,
        },
        entries: [
          entry({
            kind: 'status',
            text: `Status changed from ${from} to ${to}`,
            sourceKey: `status:${from}>${to}:${now}`,
            meta: { from, to },
          }),
        ],
      };
    }
  }
}
