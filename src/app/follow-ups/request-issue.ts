/**
 * The "Create issue" and "Retry" buttons of an action item: queue its issue in the tracker outbox (a refused
 * one again), unless it has one or one is on its way. The worker picks it up at its next run.
 */
import type { ActionItem } from '../../domain/action-item.js';
import { DomainError } from '../../domain/errors.js';
import { followUpKey } from '../../domain/follow-up.js';
import { incidentRef } from '../../domain/incident.js';
import type { TrackerIssueRef, TrackerKind } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { followUpTarget } from './follow-up-target.js';

export type IssueRequest =
  | { outcome: 'queued'; item: ActionItem; tracker: TrackerKind }
  | { outcome: 'pending'; item: ActionItem; tracker: TrackerKind }
  | { outcome: 'exists'; item: ActionItem; issue: TrackerIssueRef };

/**
 * Queues the action item's issue; a failed one is queued again. DomainError when the item no longer exists,
 * or no tracker takes the incident's follow-ups.
 */
export async function requestIssue(
  ports: Pick<Ports, 'store' | 'clock' | 'catalog'>,
  actionId: number,
): Promise<IssueRequest> {
  const { store } = ports;
  const now = ports.clock.now();
  const item = await store.actions.get(actionId);
  if (!item) throw new DomainError('action.unknown', 'That action item no longer exists.');
  const incident = await store.incidents.get(item.incidentNumber);
  if (!incident) throw new DomainError('action.unknown', 'That action item no longer exists.');
  const existing = await store.followUps.get(actionId);
  if (existing?.status === 'created' && existing.issue)
    return { outcome: 'exists', item, issue: existing.issue };
  if (existing?.status === 'failed') {
    await store.followUps.retry(actionId, now);
    return { outcome: 'queued', item, tracker: existing.target.tracker };
  }
  if (existing) return { outcome: 'pending', item, tracker: existing.target.tracker };
  const target = await followUpTarget(ports, incident.number);
  if (!target) {
    throw new DomainError(
      'follow_up.no_tracker',
      `No tracker takes the follow-ups of ${incidentRef(incident.number)}: name one with \`follow_ups:\` on its service in the catalog, or at the top of the catalog for every incident.`,
    );
  }
  const queued = await store.followUps.queue({
    actionId,
    target,
    idempotencyKey: followUpKey(incident.teamId, actionId),
    now,
  });
  // two presses at once: the second finds the first's row
  return { outcome: queued ? 'queued' : 'pending', item, tracker: target.tracker };
}
