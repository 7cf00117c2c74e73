/** Reopening a resolved incident (`reopen [reason]`): back to investigating, reminders and buttons back. */
import type { Notice } from '../../domain/notices.js';
import type { Ports } from '../ports.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';

/** Stores the reopening and its timeline entry; throws DomainError (`incident.not_resolved`) for an open incident. */
export async function reopenIncident(
  ports: Pick<Ports, 'store' | 'clock' | 'log' | 'config'>,
  input: { number: number; reason: string | null; by: string },
): Promise<LifecycleChange & { reason: string | null; notices: Notice[] }> {
  const change = await applyLifecycle(ports, input.number, {
    kind: 'reopen',
    reason: input.reason,
    by: input.by,
  });
  ports.log.info({ incident: input.number }, 'incident reopened');
  const notice: Notice = {
    kind: 'incident_reopened',
    incident: change.incident,
    reason: input.reason,
    by: change.by,
  };
  return { ...change, reason: input.reason, notices: [notice] };
}
