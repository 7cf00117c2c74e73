/** Changing the status (investigating, identified, monitoring); `resolved` goes through resolve-incident.ts. */
import type { Status } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import type { Ports } from '../ports.js';
import type { WithHooks } from './hooks.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';
import { resolveIncident } from './resolve-incident.js';

/**
 * Stores the new status and its timeline entry; throws DomainError for an impossible transition. Synchronous.
 * `resolved` resolves, with the resolve hooks, and tells `incident_resolved`.
 */
export async function changeStatus<P extends Pick<Ports, 'store' | 'clock' | 'log' | 'config'>>(
  ports: WithHooks<P, 'resolved'>,
  input: { number: number; status: Status; by: string },
): Promise<LifecycleChange & { notices: Notice[] }> {
  if (input.status === 'resolved')
    return resolveIncident<P>(ports, { number: input.number, summary: null, by: input.by });
  const change = await applyLifecycle(ports, input.number, {
    kind: 'status',
    status: input.status,
    by: input.by,
  });
  ports.log.info(
    { incident: input.number, from: change.before.status, to: change.incident.status },
    'status changed',
  );
  const notice: Notice = {
    kind: 'status_changed',
    incident: change.incident,
    before: change.before.status,
    by: change.by,
  };
  return { ...change, notices: [notice] };
}
