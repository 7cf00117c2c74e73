/** Changing the status (investigating, identified, monitoring); `resolved` goes through resolve-incident.ts. */
import type { Status } from '../../domain/incident.js';
import { statusConfirmation, statusThreadReply } from '../../adapters/slack/blocks/lifecycle-messages.js';
import type { Ports } from '../ports.js';
import { publish } from '../../adapters/slack/notices/broadcast.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';
import { resolveIncident } from './resolve-incident.js';

/** Stores the new status and its timeline entry; throws DomainError for an impossible transition. Synchronous. */
export function changeStatus(
  deps: Ports,
  input: { number: number; status: Status; by: string },
): LifecycleChange {
  if (input.status === 'resolved')
    return resolveIncident(deps, { number: input.number, summary: null, by: input.by });
  const change = applyLifecycle(deps, input.number, { kind: 'status', status: input.status, by: input.by });
  deps.log.info(
    { incident: input.number, from: change.before.status, to: change.incident.status },
    'status changed',
  );
  return change;
}

/** Confirms in the channel, replies in the announcement thread, refreshes headline, announcement and topic. */
export async function publishStatusChange(deps: Ports, change: LifecycleChange): Promise<void> {
  await publish(deps, change.incident.number, {
    channel: statusConfirmation(change.incident, change.before.status, change.by),
    thread: statusThreadReply(change.incident, change.before.status, change.by),
    topic: true,
  });
}
