/** Resolving an incident (`resolve [summary]`, `status resolved`, the headline's Resolve button). */
import type { Incident } from '../../domain/incident.js';
import { resolutionMessage, resolutionThreadReply } from '../../adapters/slack/blocks/lifecycle-messages.js';
import type { Ports } from '../ports.js';
import { publish } from '../../adapters/slack/notices/broadcast.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';

/** Stores the resolution (time, summary, timeline entry) and runs the hooks; throws DomainError when not possible. */
export function resolveIncident(
  deps: Ports,
  input: { number: number; summary: string | null; by: string },
): LifecycleChange {
  const change = applyLifecycle(
    deps,
    input.number,
    { kind: 'resolve', summary: input.summary, by: input.by },
    (incident) => {
      for (const hook of deps.hooks.resolved) hook(deps, incident);
    },
  );
  deps.log.info({ incident: input.number, from: change.before.status }, 'incident resolved');
  return change;
}

/** Posts the resolution in the channel and, broadcast, in the announcement thread; refreshes the rest. */
export async function publishResolution(deps: Ports, change: LifecycleChange): Promise<void> {
  await publish(deps, change.incident.number, {
    channel: resolutionMessage(change.incident, change.by),
    thread: { ...resolutionThreadReply(change.incident, change.by), broadcast: true },
    topic: true,
  });
}
