import { DomainError } from './errors.js';
import { closest } from './nearest.js';

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
  declaredBy: string;
  declaredAt: number;
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
    throw new DomainError('incident.invalid_severity', `"${word}" is not a severity: use 1, 2, 3 or 4 (sev1 is the most severe).`);
  }
  return Number(m[1]) as Severity;
}
