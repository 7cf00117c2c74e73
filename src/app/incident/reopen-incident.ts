/** Reopening a resolved incident (`reopen [reason]`): back to investigating, reminders and buttons back. */
import { reopenMessage, reopenThreadReply } from '../../adapters/slack/blocks/lifecycle-messages.js';
import type { Ports } from '../ports.js';
import { publish } from '../../adapters/slack/notices/broadcast.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';

/** Stores the reopening and its timeline entry; throws DomainError (`incident.not_resolved`) for an open incident. */
export function reopenIncident(
  deps: Ports,
  input: { number: number; reason: string | null; by: string },
): LifecycleChange & { reason: string | null } {
  const change = applyLifecycle(deps, input.number, { kind: 'reopen', reason: input.reason, by: input.by });
  deps.log.info({ incident: input.number }, 'incident reopened');
  return { ...change, reason: input.reason };
}

/** Confirms in the channel, replies (broadcast) in the announcement thread, refreshes headline, announcement and topic. */
export async function publishReopening(
  deps: Ports,
  change: LifecycleChange & { reason: string | null },
): Promise<void> {
  await publish(deps, change.incident.number, {
    channel: reopenMessage(change.incident, change.reason, change.by),
    thread: { ...reopenThreadReply(change.incident, change.reason, change.by), broadcast: true },
    topic: true,
  });
}
