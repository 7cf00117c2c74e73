/**
 * What became of one attempt to create an action item's issue, as the follow-up worker reports it: stored
 * (the issue, a retry time, or a refusal) and returned as notices. A refusal is told once; the action item
 * stays either way. Every function is a no-op returning nothing when `owner` no longer holds the row (its
 * lease ran out and another instance took it).
 */
import type { FollowUp } from '../../domain/follow-up.js';
import type { Notice } from '../../domain/notices.js';
import type { TrackerIssueRef } from '../../domain/ports.js';
import type { Ports } from '../ports.js';

type OutcomePorts = Pick<Ports, 'store' | 'clock' | 'log'>;

/** The issue exists (created now, or found from an earlier attempt): stored, and the channel is told. */
export async function issueCreated(
  ports: OutcomePorts,
  row: FollowUp,
  owner: string,
  issue: TrackerIssueRef,
): Promise<Notice[]> {
  const { store } = ports;
  if (!(await store.followUps.markCreated(row.actionId, owner, issue, ports.clock.now()))) return [];
  ports.log.info(
    { incident: row.incidentNumber, action: row.actionId, tracker: issue.tracker, issue: issue.key },
    'follow-up issue created',
  );
  const item = await store.actions.get(row.actionId);
  const incident = await store.incidents.get(row.incidentNumber);
  return item && incident ? [{ kind: 'follow_up_created', incident, item, issue }] : [];
}

/** The tracker could not take it now: tried again at `nextAttemptAt`, nothing told. */
export async function issueDelayed(
  ports: OutcomePorts,
  row: FollowUp,
  owner: string,
  reason: string,
  nextAttemptAt: number,
): Promise<Notice[]> {
  await ports.store.followUps.retryLater(row.actionId, owner, reason, nextAttemptAt);
  ports.log.warn(
    {
      incident: row.incidentNumber,
      action: row.actionId,
      tracker: row.target.tracker,
      attempts: row.attempts,
      retryInMs: nextAttemptAt - ports.clock.now(),
      reason,
    },
    'follow-up issue put off',
  );
  return [];
}

/** The tracker refused it: failed until a person presses Retry; the channel is told once, with the reason. */
export async function issueRefused(
  ports: OutcomePorts,
  row: FollowUp,
  owner: string,
  reason: string,
): Promise<Notice[]> {
  const { store } = ports;
  if (!(await store.followUps.markFailed(row.actionId, owner, reason))) return [];
  ports.log.warn(
    { incident: row.incidentNumber, action: row.actionId, tracker: row.target.tracker, reason },
    'the tracker refused a follow-up issue',
  );
  if (!(await store.followUps.markFailureNotified(row.actionId, ports.clock.now()))) return [];
  const item = await store.actions.get(row.actionId);
  const incident = await store.incidents.get(row.incidentNumber);
  return item && incident
    ? [{ kind: 'follow_up_failed', incident, item, tracker: row.target.tracker, reason }]
    : [];
}
