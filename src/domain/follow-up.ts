/**
 * The follow-up of an action item: the issue Muster creates for it in the team's tracker, and the durable
 * outbox row that gets it there. An action with no follow-up row has no target (status `none`); once queued,
 * the row is `pending` until the tracker answers with an issue (`created`) or refuses it (`failed`, until a
 * person retries). The same row then carries the issue ref and when the poll last checked it.
 */
import type { FollowUpTarget, TrackerIssueRef, TrackerKind } from './ports/tracker.js';

export type FollowUpStatus = 'pending' | 'created' | 'failed';

export interface FollowUp {
  actionId: number;
  incidentNumber: number;
  target: FollowUpTarget;
  /** names the action item in the tracker for ever: `muster-<teamId>-action-<id>` */
  idempotencyKey: string;
  status: FollowUpStatus;
  /** attempts started: `claimDue` counts the one it hands out, so attempts > 1 means an earlier one may have landed */
  attempts: number;
  nextAttemptAt: number;
  /** why the last attempt failed, as the on-call engineer reads it */
  lastError: string | null;
  /** when the channel was told of the refusal: it is told once per failure */
  failureNotifiedAt: number | null;
  issue: TrackerIssueRef | null;
  /** when the poll last asked the tracker about the issue */
  checkedAt: number | null;
  createdAt: number;
  claimedBy: string | null;
  claimedUntil: number | null;
}

/** The idempotency key of an action item's issue. */
export const followUpKey = (teamId: string, actionId: number): string =>
  `muster-${teamId}-action-${actionId}`;

/** What `FollowUpRepo.find` looks an issue up by: the tracker and the tracker's own id. */
export interface IssueLookup {
  tracker: TrackerKind;
  issueId: string;
}
