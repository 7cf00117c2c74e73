/** Resolving an incident (`resolve [summary]`, `status resolved`, the headline's Resolve button). */
import type { Notice } from '../../domain/notices.js';
import type { Ports } from '../ports.js';
import type { WithHooks } from './hooks.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';

/** Stores the resolution (time, summary, timeline entry) and runs the hooks; throws DomainError when not possible. */
export async function resolveIncident<P extends Pick<Ports, 'store' | 'clock' | 'log' | 'config'>>(
  ports: WithHooks<P, 'resolved'>,
  input: { number: number; summary: string | null; by: string },
): Promise<LifecycleChange & { notices: Notice[] }> {
  const change = await applyLifecycle(
    ports,
    input.number,
    { kind: 'resolve', summary: input.summary, by: input.by },
    async (incident) => {
      for (const hook of ports.hooks.resolved) await hook(ports, incident);
    },
  );
  ports.log.info({ incident: input.number, from: change.before.status }, 'incident resolved');
  return { ...change, notices: [{ kind: 'incident_resolved', incident: change.incident, by: change.by }] };
}
