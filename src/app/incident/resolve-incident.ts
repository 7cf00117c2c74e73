/** Resolving an incident (`resolve [summary]`, `status resolved`, the headline's Resolve button). */
import type { Incident } from '../../domain/incident.js';
import { resolutionMessage, resolutionThreadReply } from '../../adapters/slack/blocks/lifecycle-messages.js';
import type { Deps } from '../deps.js';
import { publish } from './incident-broadcast.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';

/** Work other capabilities do in the resolving transaction (resolving pages through the outbox...). */
export type ResolveHook = (deps: Deps, incident: Incident) => void;
const resolveHooks: ResolveHook[] = [];

/** Registers a hook run inside the resolving transaction; a hook that throws undoes the resolution. */
export function onResolved(hook: ResolveHook): void {
  if (!resolveHooks.includes(hook)) resolveHooks.push(hook);
}

/** Stores the resolution (time, summary, timeline entry) and runs the hooks; throws DomainError when not possible. */
export function resolveIncident(
  deps: Deps,
  input: { number: number; summary: string | null; by: string },
): LifecycleChange {
  const change = applyLifecycle(
    deps,
    input.number,
    { kind: 'resolve', summary: input.summary, by: input.by },
    (incident) => {
      for (const hook of resolveHooks) hook(deps, incident);
    },
  );
  deps.log.info({ incident: input.number, from: change.before.status }, 'incident resolved');
  return change;
}

/** Posts the resolution in the channel and, broadcast, in the announcement thread; refreshes the rest. */
export async function publishResolution(deps: Deps, change: LifecycleChange): Promise<void> {
  await publish(deps, change.incident.number, {
    channel: resolutionMessage(change.incident, change.by),
    thread: { ...resolutionThreadReply(change.incident, change.by), broadcast: true },
    topic: true,
  });
}
