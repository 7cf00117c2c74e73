/** Raising or lowering the severity. */
import type { Severity } from '../../domain/incident.js';
import { severityConfirmation, severityThreadReply } from '../../adapters/slack/blocks/lifecycle-messages.js';
import type { Ports } from '../ports.js';
import { publish } from '../../adapters/slack/notices/broadcast.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';

/** Stores the new severity and its timeline entry; throws DomainError when unchanged. Synchronous. */
export function changeSeverity(
  deps: Ports,
  input: { number: number; severity: Severity; by: string },
): LifecycleChange {
  const change = applyLifecycle(deps, input.number, {
    kind: 'severity',
    severity: input.severity,
    by: input.by,
  });
  deps.log.info(
    { incident: input.number, from: change.before.severity, to: change.incident.severity },
    'severity changed',
  );
  return change;
}

/** Confirms in the channel, replies in the announcement thread, refreshes headline, announcement and topic. */
export async function publishSeverityChange(deps: Ports, change: LifecycleChange): Promise<void> {
  await publish(deps, change.incident.number, {
    channel: severityConfirmation(change.incident, change.before.severity, change.by),
    thread: severityThreadReply(change.incident, change.before.severity, change.by),
    topic: true,
  });
}
